// Original file: proto/sergeant/v1/operations.proto


export interface GetVersionRequest {
}

export interface GetVersionRequest__Output {
}
