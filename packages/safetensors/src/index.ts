export type {
  SafetensorsDtype,
  SafetensorsTensor,
  SafetensorsFile,
  ParseSafetensorsOptions,
} from './safetensors.js';
export {
  parseSafetensors,
  readSafetensors,
  tensorToFloat32,
  float32Tensor,
  serializeSafetensors,
  writeSafetensors,
  SAFETENSORS_DTYPE_SIZES,
} from './safetensors.js';
export type { SafetensorsErrorCode } from './errors.js';
export {
  SafetensorsError,
  SafetensorsCorruptError,
  SafetensorsDtypeError,
  SafetensorsWriteError,
} from './errors.js';
