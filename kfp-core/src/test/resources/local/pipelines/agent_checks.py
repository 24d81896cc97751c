"""Tasks the agent cannot run as asked: a program that is not installed, and a GPU request."""
from kfp import dsl


@dsl.container_component
def vendor_tool(message: str):
    return dsl.ContainerSpec(image="ghcr.io/acme/vendor-tool:1.0", command=["kfpci-no-such-tool"], args=[message])


@dsl.pipeline(name="missing-program")
def missing_program(message: str = "hello"):
    vendor_tool(message=message)


@dsl.component
def gpu_step() -> str:
    return "trained"


@dsl.pipeline(name="gpu-request")
def gpu_request():
    gpu_step().set_accelerator_type("nvidia.com/gpu").set_accelerator_limit(1)
