package io.sergeant.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@io.grpc.stub.annotations.GrpcGenerated
public final class WorkersGrpc {

  private WorkersGrpc() {}

  public static final java.lang.String SERVICE_NAME = "sergeant.v1.Workers";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<io.sergeant.v1.WorkerMessage,
      io.sergeant.v1.GatewayMessage> getSessionMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "Session",
      requestType = io.sergeant.v1.WorkerMessage.class,
      responseType = io.sergeant.v1.GatewayMessage.class,
      methodType = io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
  public static io.grpc.MethodDescriptor<io.sergeant.v1.WorkerMessage,
      io.sergeant.v1.GatewayMessage> getSessionMethod() {
    io.grpc.MethodDescriptor<io.sergeant.v1.WorkerMessage, io.sergeant.v1.GatewayMessage> getSessionMethod;
    if ((getSessionMethod = WorkersGrpc.getSessionMethod) == null) {
      synchronized (WorkersGrpc.class) {
        if ((getSessionMethod = WorkersGrpc.getSessionMethod) == null) {
          WorkersGrpc.getSessionMethod = getSessionMethod =
              io.grpc.MethodDescriptor.<io.sergeant.v1.WorkerMessage, io.sergeant.v1.GatewayMessage>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "Session"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.WorkerMessage.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  io.sergeant.v1.GatewayMessage.getDefaultInstance()))
              .setSchemaDescriptor(new WorkersMethodDescriptorSupplier("Session"))
              .build();
        }
      }
    }
    return getSessionMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static WorkersStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkersStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkersStub>() {
        @java.lang.Override
        public WorkersStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkersStub(channel, callOptions);
        }
      };
    return WorkersStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports all types of calls on the service
   */
  public static WorkersBlockingV2Stub newBlockingV2Stub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkersBlockingV2Stub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkersBlockingV2Stub>() {
        @java.lang.Override
        public WorkersBlockingV2Stub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkersBlockingV2Stub(channel, callOptions);
        }
      };
    return WorkersBlockingV2Stub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static WorkersBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkersBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkersBlockingStub>() {
        @java.lang.Override
        public WorkersBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkersBlockingStub(channel, callOptions);
        }
      };
    return WorkersBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static WorkersFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WorkersFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WorkersFutureStub>() {
        @java.lang.Override
        public WorkersFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WorkersFutureStub(channel, callOptions);
        }
      };
    return WorkersFutureStub.newStub(factory, channel);
  }

  /**
   */
  public interface AsyncService {

    /**
     */
    default io.grpc.stub.StreamObserver<io.sergeant.v1.WorkerMessage> session(
        io.grpc.stub.StreamObserver<io.sergeant.v1.GatewayMessage> responseObserver) {
      return io.grpc.stub.ServerCalls.asyncUnimplementedStreamingCall(getSessionMethod(), responseObserver);
    }
  }

  /**
   * Base class for the server implementation of the service Workers.
   */
  public static abstract class WorkersImplBase
      implements io.grpc.BindableService, AsyncService {

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return WorkersGrpc.bindService(this);
    }
  }

  /**
   * A stub to allow clients to do asynchronous rpc calls to service Workers.
   */
  public static final class WorkersStub
      extends io.grpc.stub.AbstractAsyncStub<WorkersStub> {
    private WorkersStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkersStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkersStub(channel, callOptions);
    }

    /**
     */
    public io.grpc.stub.StreamObserver<io.sergeant.v1.WorkerMessage> session(
        io.grpc.stub.StreamObserver<io.sergeant.v1.GatewayMessage> responseObserver) {
      return io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
          getChannel().newCall(getSessionMethod(), getCallOptions()), responseObserver);
    }
  }

  /**
   * A stub to allow clients to do synchronous rpc calls to service Workers.
   */
  public static final class WorkersBlockingV2Stub
      extends io.grpc.stub.AbstractBlockingStub<WorkersBlockingV2Stub> {
    private WorkersBlockingV2Stub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkersBlockingV2Stub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkersBlockingV2Stub(channel, callOptions);
    }

    /**
     */
    @io.grpc.ExperimentalApi("https://github.com/grpc/grpc-java/issues/10918")
    public io.grpc.stub.BlockingClientCall<io.sergeant.v1.WorkerMessage, io.sergeant.v1.GatewayMessage>
        session() {
      return io.grpc.stub.ClientCalls.blockingBidiStreamingCall(
          getChannel(), getSessionMethod(), getCallOptions());
    }
  }

  /**
   * A stub to allow clients to do limited synchronous rpc calls to service Workers.
   */
  public static final class WorkersBlockingStub
      extends io.grpc.stub.AbstractBlockingStub<WorkersBlockingStub> {
    private WorkersBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkersBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkersBlockingStub(channel, callOptions);
    }
  }

  /**
   * A stub to allow clients to do ListenableFuture-style rpc calls to service Workers.
   */
  public static final class WorkersFutureStub
      extends io.grpc.stub.AbstractFutureStub<WorkersFutureStub> {
    private WorkersFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WorkersFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WorkersFutureStub(channel, callOptions);
    }
  }

  private static final int METHODID_SESSION = 0;

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
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_SESSION:
          return (io.grpc.stub.StreamObserver<Req>) serviceImpl.session(
              (io.grpc.stub.StreamObserver<io.sergeant.v1.GatewayMessage>) responseObserver);
        default:
          throw new AssertionError();
      }
    }
  }

  public static final io.grpc.ServerServiceDefinition bindService(AsyncService service) {
    return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
        .addMethod(
          getSessionMethod(),
          io.grpc.stub.ServerCalls.asyncBidiStreamingCall(
            new MethodHandlers<
              io.sergeant.v1.WorkerMessage,
              io.sergeant.v1.GatewayMessage>(
                service, METHODID_SESSION)))
        .build();
  }

  private static abstract class WorkersBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    WorkersBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return io.sergeant.v1.Worker.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("Workers");
    }
  }

  private static final class WorkersFileDescriptorSupplier
      extends WorkersBaseDescriptorSupplier {
    WorkersFileDescriptorSupplier() {}
  }

  private static final class WorkersMethodDescriptorSupplier
      extends WorkersBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final java.lang.String methodName;

    WorkersMethodDescriptorSupplier(java.lang.String methodName) {
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
      synchronized (WorkersGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new WorkersFileDescriptorSupplier())
              .addMethod(getSessionMethod())
              .build();
        }
      }
    }
    return result;
  }
}
