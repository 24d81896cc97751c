"""Where the local runner must behave as the KFP backend does: runtime placeholders passed as task
inputs (as the upstream pipeline_with_placeholders does), the shared workspace (as the upstream
pipeline_with_workspace does), the final status an exit handler receives, and pipeline outputs."""
from kfp import dsl


@dsl.component
def print_op(msg: str, value: str) -> str:
    print(msg, value)
    return value


@dsl.pipeline(name="pipeline-with-placeholders")
def placeholders():
    print_op(msg="job name:", value=dsl.PIPELINE_JOB_NAME_PLACEHOLDER).set_caching_options(False)
    print_op(msg="job resource name:", value=dsl.PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER).set_caching_options(False)
    print_op(msg="job id:", value=dsl.PIPELINE_JOB_ID_PLACEHOLDER).set_caching_options(False)
    print_op(msg="task name:", value=dsl.PIPELINE_TASK_NAME_PLACEHOLDER).set_caching_options(False)
    print_op(msg="task id:", value=dsl.PIPELINE_TASK_ID_PLACEHOLDER).set_caching_options(False)
    print_op(msg="created:", value=dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER).set_caching_options(False)
    print_op(msg="scheduled:", value=dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER).set_caching_options(False)
    # Only a whole-string placeholder is resolved (the driver compares the constant for equality).
    print_op(msg="inside a string:", value="job " + dsl.PIPELINE_JOB_ID_PLACEHOLDER).set_caching_options(False)


@dsl.component
def write_to_workspace(workspace_path: str) -> str:
    import os
    file_path = os.path.join(workspace_path, "data", "test_file.txt")
    os.makedirs(os.path.dirname(file_path), exist_ok=True)
    with open(file_path, "w") as f:
        f.write("Hello from workspace!")
    print(f"Wrote file to: {file_path}")
    return file_path


@dsl.component
def read_from_workspace(file_path: str) -> str:
    with open(file_path) as f:
        content = f.read()
    assert content == "Hello from workspace!"
    return content


@dsl.pipeline(
    name="pipeline-with-workspace",
    pipeline_config=dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(
        size="1Gi", kubernetes=dsl.KubernetesWorkspaceConfig(pvcSpecPatch={"storageClassName": "standard"}))),
)
def workspace() -> str:
    write_task = write_to_workspace(workspace_path=dsl.WORKSPACE_PATH_PLACEHOLDER).set_caching_options(False)
    read_task = read_from_workspace(file_path=write_task.output).set_caching_options(False)
    return read_task.output


@dsl.component
def report_status(status: dsl.PipelineTaskFinalStatus) -> str:
    line = "|".join(str(v) for v in (status.state, status.pipeline_task_name, status.pipeline_job_resource_name,
                                     status.error_code, status.error_message))
    print(line)
    return line


@dsl.component
def step(word: str) -> str:
    return word


@dsl.component
def model(out: dsl.Output[dsl.Model]):
    with open(out.path, "w") as f:
        f.write("weights")
    out.metadata["framework"] = "none"


@dsl.pipeline(name="exit-success")
def exit_success() -> dsl.Model:
    final = report_status().set_caching_options(False)
    with dsl.ExitHandler(final, name="main"):
        step(word="fine").set_caching_options(False)
    made = model().set_caching_options(False)
    return made.outputs["out"]


@dsl.component
def own_pip() -> str:
    """Runs its own pip install, from Python and through pip on PATH (not the SDK's install layer)."""
    import os
    import subprocess
    import sys
    import tempfile
    import zipfile
    wheel = os.path.join(tempfile.gettempdir(), "kfpci_probe-1.0-py3-none-any.whl")
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("kfpci_probe/__init__.py", "VALUE = 'probe'\n")
        z.writestr("kfpci_probe-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: kfpci-probe\nVersion: 1.0\n")
        z.writestr("kfpci_probe-1.0.dist-info/WHEEL",
                   "Wheel-Version: 1.0\nGenerator: kfpci-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr("kfpci_probe-1.0.dist-info/RECORD", "")
    quiet = ["--no-index", "--disable-pip-version-check", "--quiet"]
    subprocess.check_call([sys.executable, "-m", "pip", "install", *quiet, wheel])
    subprocess.check_call(["pip", "install", "--force-reinstall", *quiet, wheel])
    import kfpci_probe
    return kfpci_probe.VALUE + "|" + sys.prefix


@dsl.component
def probe_absent() -> str:
    try:
        import kfpci_probe  # noqa: F401
        return "present"
    except ImportError:
        return "absent"


@dsl.pipeline(name="own-pip")
def own_pip_pipeline() -> str:
    installed = own_pip().set_caching_options(False)
    return probe_absent().after(installed).set_caching_options(False).output


# The upstream component_with_pip_install_in_venv, without its package index URL.
@dsl.component(packages_to_install=["yapf"], use_venv=True)
def component_with_pip_install():
    import yapf

    print(dir(yapf))


@dsl.pipeline(name="component-with-pip-install-in-venv")
def pip_install_in_venv():
    component_with_pip_install().set_caching_options(False)


# What kfp-kubernetes' CreatePVC compiles to: a container with the backend's stub image and nothing
# else; the KFP driver performs the operation itself.
@dsl.container_component
def createpvc():
    return dsl.ContainerSpec(image="argostub/createpvc")


@dsl.pipeline(name="pvc-operation")
def pvc():
    made = createpvc().set_caching_options(False)
    step(word="after the volume").after(made).set_caching_options(False)
