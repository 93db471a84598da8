package io.sergeant.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class ProducerGrpc {

  private ProducerGrpc() {}

  public static final java.lang.String SERVICE_NAME = "sergeant.v1.Producer";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest,
      io.sergeant.v1.PushResponse> getPushMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Push",
      requestType = io.sergeant.v1.PushRequest.class,
      responseType = io.sergeant.v1.PushResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest,
      io.sergeant.v1.PushResponse> getPushMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest, io.sergeant.v1.PushResponse> getPushMethod;
    if ((getPushMethod = ProducerGrpc.getPushMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getPushMethod = ProducerGrpc.getPushMethod) == null) {
          ProducerGrpc.getPushMethod = getPushMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.PushRequest, io.sergeant.v1.PushResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Push"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PushRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PushResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("Push"))
              .build();
        }
      }
    }
    return getPushMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest,
      io.sergeant.v1.PushResponse> getPushStreamMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "PushStream",
      requestType = io.sergeant.v1.PushRequest.class,
      responseType = io.sergeant.v1.PushResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest,
      io.sergeant.v1.PushResponse> getPushStreamMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.PushRequest, io.sergeant.v1.PushResponse> getPushStreamMethod;
    if ((getPushStreamMethod = ProducerGrpc.getPushStreamMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getPushStreamMethod = ProducerGrpc.getPushStreamMethod) == null) {
          ProducerGrpc.getPushStreamMethod = getPushStreamMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.PushRequest, io.sergeant.v1.PushResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "PushStream"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PushRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.PushResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("PushStream"))
              .build();
        }
      }
    }
    return getPushStreamMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.SubmitRequest,
      io.sergeant.v1.TaskEvent> getSubmitMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Submit",
      requestType = io.sergeant.v1.SubmitRequest.class,
      responseType = io.sergeant.v1.TaskEvent.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.SubmitRequest,
      io.sergeant.v1.TaskEvent> getSubmitMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.SubmitRequest, io.sergeant.v1.TaskEvent> getSubmitMethod;
    if ((getSubmitMethod = ProducerGrpc.getSubmitMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getSubmitMethod = ProducerGrpc.getSubmitMethod) == null) {
          ProducerGrpc.getSubmitMethod = getSubmitMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.SubmitRequest, io.sergeant.v1.TaskEvent>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Submit"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.SubmitRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.TaskEvent.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("Submit"))
              .build();
        }
      }
    }
    return getSubmitMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.WatchRequest,
      io.sergeant.v1.TaskEvent> getWatchMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Watch",
      requestType = io.sergeant.v1.WatchRequest.class,
      responseType = io.sergeant.v1.TaskEvent.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.WatchRequest,
      io.sergeant.v1.TaskEvent> getWatchMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.WatchRequest, io.sergeant.v1.TaskEvent> getWatchMethod;
    if ((getWatchMethod = ProducerGrpc.getWatchMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getWatchMethod = ProducerGrpc.getWatchMethod) == null) {
          ProducerGrpc.getWatchMethod = getWatchMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.WatchRequest, io.sergeant.v1.TaskEvent>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Watch"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.WatchRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.TaskEvent.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("Watch"))
              .build();
        }
      }
    }
    return getWatchMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.GetTaskRequest,
      io.sergeant.v1.GetTaskResponse> getGetTaskMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetTask",
      requestType = io.sergeant.v1.GetTaskRequest.class,
      responseType = io.sergeant.v1.GetTaskResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.GetTaskRequest,
      io.sergeant.v1.GetTaskResponse> getGetTaskMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.GetTaskRequest, io.sergeant.v1.GetTaskResponse> getGetTaskMethod;
    if ((getGetTaskMethod = ProducerGrpc.getGetTaskMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getGetTaskMethod = ProducerGrpc.getGetTaskMethod) == null) {
          ProducerGrpc.getGetTaskMethod = getGetTaskMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.GetTaskRequest, io.sergeant.v1.GetTaskResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetTask"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.GetTaskRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.GetTaskResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("GetTask"))
              .build();
        }
      }
    }
    return getGetTaskMethod;
  }

  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.CancelRequest,
      io.sergeant.v1.CancelResponse> getCancelMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Cancel",
      requestType = io.sergeant.v1.CancelRequest.class,
      responseType = io.sergeant.v1.CancelResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.CancelRequest,
      io.sergeant.v1.CancelResponse> getCancelMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.CancelRequest, io.sergeant.v1.CancelResponse> getCancelMethod;
    if ((getCancelMethod = ProducerGrpc.getCancelMethod) == null) {
      synchronized (ProducerGrpc.class) {
        if ((getCancelMethod = ProducerGrpc.getCancelMethod) == null) {
          ProducerGrpc.getCancelMethod = getCancelMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.CancelRequest, io.sergeant.v1.CancelResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Cancel"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.CancelRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.CancelResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ProducerMethodDescriptorSupplier("Cancel"))
              .build();
        }
      }
    }
    return getCancelMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ProducerStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ProducerStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ProducerStub>() {
        @java.lang.Override
        public ProducerStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ProducerStub(channel, callOptions);
        }
      };
    return ProducerStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static ProducerBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ProducerBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ProducerBlockingV2Stub>() {
        @java.lang.Override
        public ProducerBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ProducerBlockingV2Stub(channel, callOptions);
        }
      };
    return ProducerBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ProducerBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ProducerBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ProducerBlockingStub>() {
        @java.lang.Override
        public ProducerBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ProducerBlockingStub(channel, callOptions);
        }
      };
    return ProducerBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ProducerFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ProducerFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ProducerFutureStub>() {
        @java.lang.Override
        public ProducerFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ProducerFutureStub(channel, callOptions);
        }
      };
    return ProducerFutureStub.newStub(factory, channel);
  }

  /**
   */
  public interface AsyncService {

    /**
     * <pre>
     * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
     * </pre>
     */
    default void push(io.sergeant.v1.PushRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getPushMethod(), responseObserver);
    }

    /**
     * <pre>
     * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
     * </pre>
     */
    default io.grpc.stub.StreamObserver<io.sergeant.v1.PushRequest> pushStream(
        io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getPushStreamMethod(), responseObserver);
    }

    /**
     * <pre>
     * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
     * </pre>
     */
    default void submit(io.sergeant.v1.SubmitRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getSubmitMethod(), responseObserver);
    }

    /**
     * <pre>
     * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
     * </pre>
     */
    default void watch(io.sergeant.v1.WatchRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getWatchMethod(), responseObserver);
    }

    /**
     */
    default void getTask(io.sergeant.v1.GetTaskRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.GetTaskResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetTaskMethod(), responseObserver);
    }

    /**
     * <pre>
     * Cancel: a queued task never runs; a running one's worker is told to stop it.
     * </pre>
     */
    default void cancel(io.sergeant.v1.CancelRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.CancelResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service Producer.
   */
  public static abstract class ProducerImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return ProducerGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service Producer.
   */
  public static final class ProducerStub
      extends io.grpc.stub.AbstractAsyncStub<ProducerStub> {
    private ProducerStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ProducerStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ProducerStub(channel, callOptions);
    }

    /**
     * <pre>
     * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
     * </pre>
     */
    public void push(io.sergeant.v1.PushRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getPushMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
     * </pre>
     */
    public io.grpc.stub.StreamObserver<io.sergeant.v1.PushRequest> pushStream(
        io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncClientStreamingCall(
          getChannel().newCall(getPushStreamMethod(), getCallOptions()), responseObserver);
    }

    /**
     * <pre>
     * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
     * </pre>
     */
    public void submit(io.sergeant.v1.SubmitRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getSubmitMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
     * </pre>
     */
    public void watch(io.sergeant.v1.WatchRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getWatchMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void getTask(io.sergeant.v1.GetTaskRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.GetTaskResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetTaskMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Cancel: a queued task never runs; a running one's worker is told to stop it.
     * </pre>
     */
    public void cancel(io.sergeant.v1.CancelRequest request,
        io.grpc.stub.StreamObserver<io.sergeant.v1.CancelResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service Producer.
   */
  public static final class ProducerBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<ProducerBlockingV2Stub> {
    private ProducerBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ProducerBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ProducerBlockingV2Stub(channel, callOptions);
    }

    /**
     * <pre>
     * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
     * </pre>
     */
    public io.sergeant.v1.PushResponse push(io.sergeant.v1.PushRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getPushMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Bulk ingest: stream batches; each batch is stored as it arrives; one response at the end.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<io.sergeant.v1.PushRequest, io.sergeant.v1.PushResponse>
        pushStream() {
      return io.grpc.stub.ClientCalls.blockingClientStreamingCall(
          getChannel(), getPushStreamMethod(), getCallOptions());
    }

    /**
     * <pre>
     * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, io.sergeant.v1.TaskEvent>
        submit(io.sergeant.v1.SubmitRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getSubmitMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
     * </pre>
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<?, io.sergeant.v1.TaskEvent>
        watch(io.sergeant.v1.WatchRequest request) {
      return io.grpc.stub.ClientCalls.blockingV2ServerStreamingCall(
          getChannel(), getWatchMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.GetTaskResponse getTask(io.sergeant.v1.GetTaskRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getGetTaskMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Cancel: a queued task never runs; a running one's worker is told to stop it.
     * </pre>
     */
    public io.sergeant.v1.CancelResponse cancel(io.sergeant.v1.CancelRequest request) throws io.grpc.StatusException {
      return io.grpc.stub.ClientCalls.blockingV2UnaryCall(
          getChannel(), getCancelMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service Producer.
   */
  public static final class ProducerBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<ProducerBlockingStub> {
    private ProducerBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ProducerBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ProducerBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
     * </pre>
     */
    public io.sergeant.v1.PushResponse push(io.sergeant.v1.PushRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getPushMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Push one task and stream its events: ACCEPTED, STARTED, PROGRESS..., then a terminal event.
     * </pre>
     */
    public java.util.Iterator<io.sergeant.v1.TaskEvent> submit(
        io.sergeant.v1.SubmitRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getSubmitMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stream events of given tasks (ends when all are terminal) or of a whole queue (never ends).
     * </pre>
     */
    public java.util.Iterator<io.sergeant.v1.TaskEvent> watch(
        io.sergeant.v1.WatchRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getWatchMethod(), getCallOptions(), request);
    }

    /**
     */
    public io.sergeant.v1.GetTaskResponse getTask(io.sergeant.v1.GetTaskRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetTaskMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Cancel: a queued task never runs; a running one's worker is told to stop it.
     * </pre>
     */
    public io.sergeant.v1.CancelResponse cancel(io.sergeant.v1.CancelRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelMethod(), getCallOptions(), request);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service Producer.
   */
  public static final class ProducerFutureStub
      extends io.grpc.stub.AbstractFutureStub<ProducerFutureStub> {
    private ProducerFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ProducerFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ProducerFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Push one task or a batch (atomically, one store round trip). Returns once the store holds them.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.PushResponse> push(
        io.sergeant.v1.PushRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getPushMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.GetTaskResponse> getTask(
        io.sergeant.v1.GetTaskRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetTaskMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Cancel: a queued task never runs; a running one's worker is told to stop it.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<io.sergeant.v1.CancelResponse> cancel(
        io.sergeant.v1.CancelRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_PUSH = 0;
  private static final int METHODID_SUBMIT = 1;
  private static final int METHODID_WATCH = 2;
  private static final int METHODID_GET_TASK = 3;
  private static final int METHODID_CANCEL = 4;
  private static final int METHODID_PUSH_STREAM = 5;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AsyncService serviceImpl;
    private final int methodId;

    MethodHandlers(AsyncService serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_PUSH:
          serviceImpl.push((io.sergeant.v1.PushRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse>) responseObserver);
          break;
        case METHODID_SUBMIT:
          serviceImpl.submit((io.sergeant.v1.SubmitRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent>) responseObserver);
          break;
        case METHODID_WATCH:
          serviceImpl.watch((io.sergeant.v1.WatchRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.TaskEvent>) responseObserver);
          break;
        case METHODID_GET_TASK:
          serviceImpl.getTask((io.sergeant.v1.GetTaskRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.GetTaskResponse>) responseObserver);
          break;
        case METHODID_CANCEL:
          serviceImpl.cancel((io.sergeant.v1.CancelRequest) request,
              (io.grpc.stub.StreamObserver<io.sergeant.v1.CancelResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_PUSH_STREAM:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.pushStream(
              (io.grpc.stub.StreamObserver<io.sergeant.v1.PushResponse>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getPushMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.PushRequest,
              io.sergeant.v1.PushResponse>(
                service, METHODID_PUSH)))
        .addMethod(
          getPushStreamMethod(),
          io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            new MethodHandlers<
              io.sergeant.v1.PushRequest,
              io.sergeant.v1.PushResponse>(
                service, METHODID_PUSH_STREAM)))
        .addMethod(
          getSubmitMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              io.sergeant.v1.SubmitRequest,
              io.sergeant.v1.TaskEvent>(
                service, METHODID_SUBMIT)))
        .addMethod(
          getWatchMethod(),
          io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            new MethodHandlers<
              io.sergeant.v1.WatchRequest,
              io.sergeant.v1.TaskEvent>(
                service, METHODID_WATCH)))
        .addMethod(
          getGetTaskMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.GetTaskRequest,
              io.sergeant.v1.GetTaskResponse>(
                service, METHODID_GET_TASK)))
        .addMethod(
          getCancelMethod(),
          io.grpc.stub.ServerCalls.asyncUnaryCall(
            new MethodHandlers<
              io.sergeant.v1.CancelRequest,
              io.sergeant.v1.CancelResponse>(
                service, METHODID_CANCEL)))
        .build();
  }

  private static abstract class ProducerBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ProducerBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.sergeant.v1.ProducerOuterClass.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("Producer");
    }
  }

  private static final class ProducerFileDescriptorSupplier
      extends ProducerBaseDescriptorSupplier {
    ProducerFileDescriptorSupplier() {}
  }

  private static final class ProducerMethodDescriptorSupplier
      extends ProducerBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    ProducerMethodDescriptorSupplier(java.lang.String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (ProducerGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ProducerFileDescriptorSupplier())
              .addMethod(getPushMethod())
              .addMethod(getPushStreamMethod())
              .addMethod(getSubmitMethod())
              .addMethod(getWatchMethod())
              .addMethod(getGetTaskMethod())
              .addMethod(getCancelMethod())
              .build();
        }
      }
    }
    return result;
  }
}
