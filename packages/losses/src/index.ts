export { tripletLoss, TRIPLET_DISTANCES } from './triplet-loss.js';
export type { TripletLossOptions, TripletDistance } from './triplet-loss.js';
export { contrastiveLoss } from './contrastive-loss.js';
export type { ContrastiveLossOptions } from './contrastive-loss.js';
export { infoNceLoss } from './info-nce-loss.js';
export type { InfoNceLossOptions } from './info-nce-loss.js';
export type { LossesErrorCode } from './errors.js';
export { LossesError, LossShapeError, LossValueError, LossOptionError } from './errors.js';
