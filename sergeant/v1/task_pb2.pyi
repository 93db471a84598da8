from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Priority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRIORITY_UNSPECIFIED: _ClassVar[Priority]
    PRIORITY_NORMAL: _ClassVar[Priority]
    PRIORITY_HIGH: _ClassVar[Priority]

class Serializer(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERIALIZER_UNSPECIFIED: _ClassVar[Serializer]
    SERIALIZER_MSGPACK: _ClassVar[Serializer]
    SERIALIZER_PICKLE: _ClassVar[Serializer]

class Compressor(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPRESSOR_UNSPECIFIED: _ClassVar[Compressor]
    COMPRESSOR_NONE: _ClassVar[Compressor]
    COMPRESSOR_ZLIB: _ClassVar[Compressor]
    COMPRESSOR_GZIP: _ClassVar[Compressor]
    COMPRESSOR_BZIP2: _ClassVar[Compressor]
    COMPRESSOR_LZMA: _ClassVar[Compressor]
    COMPRESSOR_ZSTD: _ClassVar[Compressor]
    COMPRESSOR_LZ4: _ClassVar[Compressor]

class TaskState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_STATE_UNSPECIFIED: _ClassVar[TaskState]
    TASK_STATE_PENDING: _ClassVar[TaskState]
    TASK_STATE_SCHEDULED: _ClassVar[TaskState]
    TASK_STATE_ACTIVE: _ClassVar[TaskState]
    TASK_STATE_SUCCEEDED: _ClassVar[TaskState]
    TASK_STATE_DEAD: _ClassVar[TaskState]
    TASK_STATE_CANCELLED: _ClassVar[TaskState]

class EventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_KIND_UNSPECIFIED: _ClassVar[EventKind]
    EVENT_KIND_ACCEPTED: _ClassVar[EventKind]
    EVENT_KIND_STARTED: _ClassVar[EventKind]
    EVENT_KIND_PROGRESS: _ClassVar[EventKind]
    EVENT_KIND_RETRYING: _ClassVar[EventKind]
    EVENT_KIND_SUCCEEDED: _ClassVar[EventKind]
    EVENT_KIND_DEAD: _ClassVar[EventKind]
    EVENT_KIND_CANCELLED: _ClassVar[EventKind]
PRIORITY_UNSPECIFIED: Priority
PRIORITY_NORMAL: Priority
PRIORITY_HIGH: Priority
SERIALIZER_UNSPECIFIED: Serializer
SERIALIZER_MSGPACK: Serializer
SERIALIZER_PICKLE: Serializer
COMPRESSOR_UNSPECIFIED: Compressor
COMPRESSOR_NONE: Compressor
COMPRESSOR_ZLIB: Compressor
COMPRESSOR_GZIP: Compressor
COMPRESSOR_BZIP2: Compressor
COMPRESSOR_LZMA: Compressor
COMPRESSOR_ZSTD: Compressor
COMPRESSOR_LZ4: Compressor
TASK_STATE_UNSPECIFIED: TaskState
TASK_STATE_PENDING: TaskState
TASK_STATE_SCHEDULED: TaskState
TASK_STATE_ACTIVE: TaskState
TASK_STATE_SUCCEEDED: TaskState
TASK_STATE_DEAD: TaskState
TASK_STATE_CANCELLED: TaskState
EVENT_KIND_UNSPECIFIED: EventKind
EVENT_KIND_ACCEPTED: EventKind
EVENT_KIND_STARTED: EventKind
EVENT_KIND_PROGRESS: EventKind
EVENT_KIND_RETRYING: EventKind
EVENT_KIND_SUCCEEDED: EventKind
EVENT_KIND_DEAD: EventKind
EVENT_KIND_CANCELLED: EventKind

class Task(_message.Message):
    __slots__ = ("id", "queue", "kwargs", "serializer", "compressor", "priority", "not_before_unix_s", "attempt", "max_attempts", "timeout_s", "idempotency_key", "trace_id", "created_at_unix_s", "want_result")
    ID_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    KWARGS_FIELD_NUMBER: _ClassVar[int]
    SERIALIZER_FIELD_NUMBER: _ClassVar[int]
    COMPRESSOR_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_UNIX_S_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_S_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_UNIX_S_FIELD_NUMBER: _ClassVar[int]
    WANT_RESULT_FIELD_NUMBER: _ClassVar[int]
    id: str
    queue: str
    kwargs: bytes
    serializer: Serializer
    compressor: Compressor
    priority: Priority
    not_before_unix_s: float
    attempt: int
    max_attempts: int
    timeout_s: float
    idempotency_key: str
    trace_id: str
    created_at_unix_s: float
    want_result: bool
    def __init__(self, id: _Optional[str] = ..., queue: _Optional[str] = ..., kwargs: _Optional[bytes] = ..., serializer: _Optional[_Union[Serializer, str]] = ..., compressor: _Optional[_Union[Compressor, str]] = ..., priority: _Optional[_Union[Priority, str]] = ..., not_before_unix_s: _Optional[float] = ..., attempt: _Optional[int] = ..., max_attempts: _Optional[int] = ..., timeout_s: _Optional[float] = ..., idempotency_key: _Optional[str] = ..., trace_id: _Optional[str] = ..., created_at_unix_s: _Optional[float] = ..., want_result: _Optional[bool] = ...) -> None: ...

class TaskError(_message.Message):
    __slots__ = ("type", "message", "traceback")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TRACEBACK_FIELD_NUMBER: _ClassVar[int]
    type: str
    message: str
    traceback: str
    def __init__(self, type: _Optional[str] = ..., message: _Optional[str] = ..., traceback: _Optional[str] = ...) -> None: ...

class TaskResult(_message.Message):
    __slots__ = ("state", "result", "error", "finished_at_unix_s")
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_UNIX_S_FIELD_NUMBER: _ClassVar[int]
    state: TaskState
    result: bytes
    error: TaskError
    finished_at_unix_s: float
    def __init__(self, state: _Optional[_Union[TaskState, str]] = ..., result: _Optional[bytes] = ..., error: _Optional[_Union[TaskError, _Mapping]] = ..., finished_at_unix_s: _Optional[float] = ...) -> None: ...

class TaskEvent(_message.Message):
    __slots__ = ("queue", "task_id", "kind", "at_unix_s", "progress", "message", "data", "result")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AT_UNIX_S_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    queue: str
    task_id: str
    kind: EventKind
    at_unix_s: float
    progress: float
    message: str
    data: bytes
    result: TaskResult
    def __init__(self, queue: _Optional[str] = ..., task_id: _Optional[str] = ..., kind: _Optional[_Union[EventKind, str]] = ..., at_unix_s: _Optional[float] = ..., progress: _Optional[float] = ..., message: _Optional[str] = ..., data: _Optional[bytes] = ..., result: _Optional[_Union[TaskResult, _Mapping]] = ...) -> None: ...
