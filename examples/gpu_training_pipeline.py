"""Kubernetes-specific task settings with kfp-kubernetes: GPU node, secret, PVC.

What it shows (all on the ``train_on_gpu`` task):
  * scheduling on an A100 node, as the seed article does:
    ``kubernetes.add_node_selector`` (``accelerator=nvidia-a100``) and
    ``kubernetes.add_toleration`` for the usual ``nvidia.com/gpu:NoSchedule``
    taint (``kfpci preflight`` checks a cluster can take it);
  * an accelerator request: ``set_accelerator_type("nvidia.com/gpu")`` and
    ``set_accelerator_limit(2)``;
  * CPU and memory requests and limits (request = 80% or less of the limit);
  * a Kubernetes Secret exposed as environment variables
    (``kubernetes.use_secret_as_env``): model-registry credentials;
  * a PersistentVolumeClaim mounted into the pod (``kubernetes.mount_pvc``):
    the training CSV is read from, and a copy of the model written to, the
    shared volume;
  * retries for transient failures (``set_retry``).

These settings only take effect on a cluster; they land in the compiled
YAML's ``platforms.kubernetes`` section (and the task's resource spec). The
training code itself is CPU scikit-learn so the example stays small and runs
anywhere: it records whether a GPU was visible, and is where a GPU framework's
training loop would go. It never prints the secret values, only whether they
were set.

Cluster prerequisites: a PVC named ``shared-data-pvc`` holding
``training.csv`` (see ``examples/data/``), and a Secret
``model-registry-credentials`` with keys ``username`` and ``password``.

Compile:  python examples/gpu_training_pipeline.py gpu_training_pipeline.yaml
"""

import sys

from kfp import compiler, dsl, kubernetes
from kfp.dsl import Dataset, Input, Metrics, Model, Output

BASE_IMAGE = "python:3.11-slim"
PACKAGES = ["numpy==2.1.3", "pandas==2.2.3", "scikit-learn==1.5.2"]

PVC_NAME = "shared-data-pvc"
PVC_MOUNT_PATH = "/mnt/shared-data"
REGISTRY_SECRET = "model-registry-credentials"


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def load_from_volume(data_path: str, dataset: Output[Dataset]):
    """Copies the training CSV from the shared volume into a Dataset artifact."""
    import pandas as pd

    df = pd.read_csv(data_path)
    df = df.dropna(subset=["label"])
    df = df.fillna(df.median(numeric_only=True))
    df.to_csv(dataset.path, index=False)
    dataset.metadata["rows"] = len(df)
    dataset.metadata["source"] = data_path
    print(f"loaded {len(df)} rows from {data_path}")


@dsl.component(base_image=BASE_IMAGE, packages_to_install=PACKAGES)
def train_on_gpu(
    dataset: Input[Dataset],
    max_iter: int,
    shared_dir: str,
    model: Output[Model],
    metrics: Output[Metrics],
):
    """Trains a classifier; records the device and whether registry credentials
    were provided; saves the model as an artifact and on the shared volume."""
    import os
    import shutil

    import joblib
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    visible = os.environ.get("NVIDIA_VISIBLE_DEVICES", "")
    gpu_visible = bool(shutil.which("nvidia-smi")) or visible not in ("", "void", "none")
    print(f"GPU visible: {gpu_visible} (NVIDIA_VISIBLE_DEVICES={visible or 'unset'})")
    has_credentials = bool(os.environ.get("REGISTRY_USERNAME")) and bool(
        os.environ.get("REGISTRY_PASSWORD")
    )
    print(f"model-registry credentials present: {has_credentials}")

    df = pd.read_csv(dataset.path)
    X, y = df.drop(columns=["label"]), df["label"].astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, random_state=42, stratify=y
    )
    # Stand-in for a GPU training loop (e.g. PyTorch on "cuda" when gpu_visible).
    clf = HistGradientBoostingClassifier(max_iter=max_iter, random_state=42)
    clf.fit(X_train, y_train)
    predictions = clf.predict(X_test)
    accuracy = float(accuracy_score(y_test, predictions))
    f1 = float(f1_score(y_test, predictions))

    metrics.log_metric("test_accuracy", accuracy)
    metrics.log_metric("test_f1", f1)
    metrics.log_metric("gpu_visible", 1.0 if gpu_visible else 0.0)
    joblib.dump(clf, model.path)
    model.metadata["device"] = "gpu" if gpu_visible else "cpu"
    model.metadata["registry_credentials"] = has_credentials

    if os.path.isdir(shared_dir):
        target = os.path.join(shared_dir, "models", "gpu-training-pipeline.joblib")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(model.path, target)
        model.metadata["shared_copy"] = target
        print(f"copied model to {target}")
    print(f"test_accuracy={accuracy:.4f} test_f1={f1:.4f}")


@dsl.pipeline(
    name="gpu-training-pipeline",
    description="Training task scheduled on a GPU node with a secret and a shared PVC.",
)
def gpu_training_pipeline(
    data_path: str = PVC_MOUNT_PATH + "/training.csv",
    max_iter: int = 100,
):
    load_task = load_from_volume(data_path=data_path)
    load_task.set_cpu_request("250m").set_cpu_limit("1")
    load_task.set_memory_request("256Mi").set_memory_limit("1Gi")
    kubernetes.mount_pvc(load_task, pvc_name=PVC_NAME, mount_path=PVC_MOUNT_PATH)

    train_task = train_on_gpu(
        dataset=load_task.outputs["dataset"],
        max_iter=max_iter,
        shared_dir=PVC_MOUNT_PATH,
    )
    train_task.set_display_name("Train on GPU")

    # Land on a GPU node and tolerate its taint.
    kubernetes.add_node_selector(
        train_task, label_key="accelerator", label_value="nvidia-a100"
    )
    kubernetes.add_toleration(
        train_task, key="nvidia.com/gpu", operator="Exists", effect="NoSchedule"
    )
    # Ask for two GPUs plus CPU/memory.
    train_task.set_accelerator_type("nvidia.com/gpu")
    train_task.set_accelerator_limit(2)
    train_task.set_cpu_request("3").set_cpu_limit("4")
    train_task.set_memory_request("12Gi").set_memory_limit("16Gi")
    train_task.set_retry(num_retries=2, backoff_duration="60s")

    # Registry credentials from a Secret, as environment variables.
    kubernetes.use_secret_as_env(
        train_task,
        secret_name=REGISTRY_SECRET,
        secret_key_to_env={
            "username": "REGISTRY_USERNAME",
            "password": "REGISTRY_PASSWORD",
        },
    )
    # Shared data volume.
    kubernetes.mount_pvc(train_task, pvc_name=PVC_NAME, mount_path=PVC_MOUNT_PATH)


if __name__ == "__main__":
    output_path = sys.argv[1] if len(sys.argv) > 1 else "gpu_training_pipeline.yaml"
    compiler.Compiler().compile(pipeline_func=gpu_training_pipeline, package_path=output_path)
    print(f"compiled gpu_training_pipeline -> {output_path}")
