package io.kfpci.problem;

/**
 * Every check that can report a problem, with its stable id. Ids never change meaning once
 * released: CI configurations and JUnit history refer to them. docs/validation-rules.md documents
 * each one with an example and the fix.
 */
public enum Rule {
  FILE_FORMAT("KFP001", "readable pipeline file"),
  UNKNOWN_FIELD("KFP002", "no unknown fields"),
  FIELD_TYPE("KFP003", "field values have the right type"),
  SCHEMA_VERSION("KFP010", "schemaVersion is 2.1.0"),
  PIPELINE_NAME("KFP011", "pipelineInfo.name is valid"),
  ROOT_PRESENT("KFP012", "root DAG is present"),
  SAFE_NAME("KFP013", "names are safe as file names"),
  COMPONENT_REF("KFP020", "componentRef resolves"),
  EXECUTOR_LABEL("KFP021", "executorLabel resolves"),
  DEPENDENT_TASK("KFP022", "dependentTasks exist in the same DAG"),
  DAG_CYCLE("KFP023", "no dependency cycles"),
  INPUT_BINDING("KFP030", "task inputs are bound to something that exists"),
  INPUT_TYPE("KFP031", "task input types are compatible"),
  REQUIRED_INPUT("KFP032", "required inputs are provided"),
  UNDECLARED_INPUT("KFP033", "task inputs are declared by the component"),
  CONDITION_SYNTAX("KFP040", "triggerPolicy.condition is valid CEL"),
  CONDITION_INPUT("KFP041", "conditions reference only the task's inputs"),
  ITERATOR("KFP050", "ParallelFor iterators are well formed"),
  DAG_OUTPUT("KFP060", "DAG output selectors resolve"),
  CONTAINER_IMAGE("KFP070", "container executors have an image"),
  PLACEHOLDER("KFP071", "placeholders are well formed and name declared inputs and outputs"),
  IMPORTER("KFP080", "importers have an artifact URI"),
  RESOURCES("KFP090", "resource requests are valid quantities"),
  PLATFORM_EXECUTOR("KFP100", "the platform spec names existing executors"),
  RUN_PARAMETER_UNKNOWN("KFP110", "run parameters are declared by the pipeline"),
  RUN_PARAMETER_TYPE("KFP111", "run parameters have the declared type"),
  RUN_PARAMETER_MISSING("KFP112", "required run parameters are given");

  private final String id;
  private final String title;

  Rule(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }
}
