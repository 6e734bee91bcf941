export { RtkError, hasErrorCode, firstLine } from './rtk-error.js';
