package io.kfpci.remote;

import io.kfpci.client.KfpApi.ChildTask;
import io.kfpci.client.KfpApi.TaskDetail;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DAG path of the task rows of {@code run_details.task_details}: the task id a local run and ML
 * Metadata give the same task ({@code condition-1/deploy-model}, {@code for-loop-2[3]/train}), so a
 * state line and a log line of one task carry the same label.
 *
 * <p>A 2.17 server fills neither {@code parent_task_id} nor the row's own Argo node id; each row only
 * lists its children's node ids ({@code child_tasks[].pod_name}), and in a DAG those edges also run
 * from a task to the tasks that wait for it, so they do not give the nesting. Argo's node ids do:
 * a node's id is {@code <workflow>-<FNV-1a 32 of its name>}, its name the enclosing node's name,
 * a dot and its display name ({@code wf.root.condition-1.deploy-model}; Argo's
 * {@code Workflow.NodeID}, seen so in the recorded 2.17 exchanges). Starting from the workflow's
 * node, each id is named by trying the display names the run has under each node already named;
 * a row is then the named node of its display name (the one its children sit under when several
 * share it, as a loop body's tasks do).
 *
 * <p>The path keeps the KFP task names and drops Argo's own levels ({@code root}, a loop's
 * {@code iteration-iterations} group and {@code iteration-item} DAG); a ParallelFor iteration, the
 * node {@code iteration-iterations(i:i)}, turns its loop's segment into {@code loop[i]}. Pure.
 */
final class ArgoTaskPaths {
  /** Argo's display name of the i-th expansion of a {@code withSequence} task: {@code name(i:item)}. */
  static final Pattern ITERATION = Pattern.compile("iteration-iterations\\((\\d+):[^)]*\\)");
  private static final Set<String> ARGO_LEVELS = Set.of("root", "iteration-iterations", "iteration-item");
  /** Bounds the naming work of one look at a run (a run of a few thousand nodes stays far below). */
  private static final int MAX_NODES = 100_000;

  private ArgoTaskPaths() {}

  /** Whether a row is a ParallelFor iteration's DAG node. */
  static boolean isIteration(String displayName) {
    return displayName != null && ITERATION.matcher(displayName).matches();
  }

  /**
   * The path of each row of {@code wanted} (by task id) that can be placed; rows that cannot be (yet)
   * are left out, and a row that is no task (the workflow's own node, or an Argo level such as
   * {@code root}) gets the empty path. Null when the rows' node ids do not follow Argo's naming rule (an emulator of an
   * older kind, or a server that fills no {@code child_tasks}): nothing can be placed.
   */
  static Map<String, String> paths(List<TaskDetail> rows, List<TaskDetail> wanted) {
    Set<String> ids = new LinkedHashSet<>();
    for (TaskDetail row : rows) {
      for (ChildTask child : row.childTasks()) {
        if (child.podName() != null && !child.podName().isEmpty()) {
          ids.add(child.podName());
        }
      }
    }
    String workflow = workflowName(rows, ids);
    if (workflow == null) {
      return null;
    }
    // Executor pods are tried even before their rows are reported: a task's node is found by them.
    Set<String> displayNames = new LinkedHashSet<>(List.of("executor"));
    // A loop's iterations are tried only under a node holding an iterations group: a loop of a
    // thousand items must not cost a thousand trials under every node.
    Set<String> iterationNames = new LinkedHashSet<>();
    for (TaskDetail row : rows) {
      if (row.displayName() != null && !row.displayName().isEmpty() && !row.displayName().equals(workflow)) {
        (isIteration(row.displayName()) ? iterationNames : displayNames).add(row.displayName());
      }
    }
    // Node id -> (enclosing node id, display name), found top-down from the workflow's node.
    Map<String, String> parentOf = new HashMap<>();
    Map<String, String> segmentOf = new HashMap<>();
    Map<String, String> nameOf = new HashMap<>();
    nameOf.put(workflow, workflow);
    Deque<String> queue = new ArrayDeque<>(List.of(workflow));
    while (!queue.isEmpty() && nameOf.size() < MAX_NODES) {
      String node = queue.removeFirst();
      String name = nameOf.get(node);
      boolean loop = ids.contains(workflow + "-" + Integer.toUnsignedString(fnv1a(name + ".iteration-iterations")));
      for (String display : loop ? concat(displayNames, iterationNames) : displayNames) {
        String id = workflow + "-" + Integer.toUnsignedString(fnv1a(name + "." + display));
        if (ids.contains(id) && !nameOf.containsKey(id)) {
          nameOf.put(id, name + "." + display);
          parentOf.put(id, node);
          segmentOf.put(id, display);
          if (!display.endsWith("-driver") && !display.equals("executor")) {
            queue.addLast(id); // pods enclose nothing
          }
        }
      }
    }
    Map<String, List<String>> idsByDisplay = new HashMap<>();
    segmentOf.forEach((id, display) -> idsByDisplay.computeIfAbsent(display, k -> new ArrayList<>()).add(id));
    Map<String, Integer> rowsByDisplay = new HashMap<>();
    rows.forEach(r -> rowsByDisplay.merge(String.valueOf(r.displayName()), 1, Integer::sum));
    Map<String, String> out = new LinkedHashMap<>();
    for (TaskDetail row : wanted) {
      if (workflow.equals(row.displayName()) && row.taskId() != null) {
        out.put(row.taskId(), "");
        continue;
      }
      List<String> candidates = idsByDisplay.getOrDefault(row.displayName(), List.of());
      String node = null;
      if (candidates.size() == 1 && rowsByDisplay.get(row.displayName()) == 1) {
        node = candidates.get(0);
      } else {
        // A DAG node's children are the nodes inside it: the candidate they sit under is this row.
        for (ChildTask child : row.childTasks()) {
          String parent = parentOf.get(child.podName());
          if (parent != null && candidates.contains(parent)) {
            node = parent;
            break;
          }
        }
      }
      if (node != null && row.taskId() != null) {
        out.put(row.taskId(), path(node, parentOf, segmentOf));
      }
    }
    return out;
  }

  private static List<String> concat(Set<String> a, Set<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String path(String node, Map<String, String> parentOf, Map<String, String> segmentOf) {
    List<String> segments = new ArrayList<>();
    for (String at = node; segmentOf.containsKey(at); at = parentOf.get(at)) {
      segments.add(0, segmentOf.get(at));
    }
    List<String> path = new ArrayList<>();
    for (String segment : segments) {
      Matcher iteration = ITERATION.matcher(segment);
      if (iteration.matches()) {
        if (!path.isEmpty()) {
          int last = path.size() - 1;
          path.set(last, path.get(last) + "[" + iteration.group(1) + "]");
        }
      } else if (!ARGO_LEVELS.contains(segment)) {
        path.add(segment);
      }
    }
    return String.join("/", path);
  }

  /**
   * The workflow's name: the prefix of the node ids ({@code <workflow>-<digits>}) that is also the
   * display name of a row (the workflow's own node).
   */
  private static String workflowName(List<TaskDetail> rows, Set<String> ids) {
    Set<String> prefixes = new LinkedHashSet<>();
    for (String id : ids) {
      int dash = id.lastIndexOf('-');
      if (dash > 0 && id.substring(dash + 1).chars().allMatch(Character::isDigit)) {
        prefixes.add(id.substring(0, dash));
      }
    }
    for (TaskDetail row : rows) {
      if (row.displayName() != null && prefixes.contains(row.displayName())) {
        return row.displayName();
      }
    }
    return null;
  }

  /** FNV-1a, 32 bits, over the UTF-8 bytes: Go's {@code hash/fnv.New32a} as Argo uses it. */
  static int fnv1a(String text) {
    int hash = 0x811c9dc5;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }
}
