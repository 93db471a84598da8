// The ES module entry point: a wrapper over the CommonJS build, so that `import` and `require` share one module
// instance (one SergeantError class, one channel cache). test/unit/esm.test.ts checks these names against dist/.
import cjs from "../dist/index.js";

export const {
  SergeantClient, Submission, metadataFor,
  SergeantError, TaskFailedError, EncodingError, Status, statusName,
  encode, decode, encodeKwargs,
  newTaskId,
  producerProto, operationsProto, PROTO_DIR, LOADER_OPTIONS,
} = cjs;
