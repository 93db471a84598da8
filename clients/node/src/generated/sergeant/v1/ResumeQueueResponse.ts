// Original file: proto/sergeant/v1/operations.proto


export interface ResumeQueueResponse {
}

export interface ResumeQueueResponse__Output {
}
