package io.kfpci.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path temp;

  @Test
  void handsOutOnlyCompleteLinesAndResumesAtTheNextLineStart() throws Exception {
    Path log = temp.resolve("run.log");
    Files.writeString(log, "[a] one\n[a] tw");
    LogTail.Chunk first = LogTail.read(log, 0, 1024, false);
    assertThat(first.lines()).containsExactly("[a] one");
    assertThat(first.nextOffset()).isEqualTo(8);
    assertThat(first.more()).isFalse();

    Files.writeString(log, "o\r\n[b] three\n", StandardOpenOption.APPEND);
    LogTail.Chunk second = LogTail.read(log, first.nextOffset(), 1024, false);
    assertThat(second.lines()).containsExactly("[a] two", "[b] three");
    assertThat(second.nextOffset()).isEqualTo(Files.size(log));
  }

  @Test
  void aFinalReadReturnsTheLastLineWithoutItsNewline() throws Exception {
    Path log = temp.resolve("run.log");
    Files.writeString(log, "[a] done\n[a] no newline");
    LogTail.Chunk chunk = LogTail.read(log, 9, 1024, true);
    assertThat(chunk.lines()).containsExactly("[a] no newline");
    assertThat(chunk.nextOffset()).isEqualTo(Files.size(log));
    assertThat(LogTail.read(log, chunk.nextOffset(), 1024, true).lines()).isEmpty();
  }

  @Test
  void aMissingFileReadsAsEmpty() throws Exception {
    LogTail.Chunk chunk = LogTail.read(temp.resolve("absent.log"), 0, 1024, false);
    assertThat(chunk.lines()).isEmpty();
    assertThat(chunk.nextOffset()).isZero();
  }

  @Test
  void smallReadsSayThereIsMoreAndLongLinesComeInPiecesWithoutBreakingCharacters() throws Exception {
    Path log = temp.resolve("run.log");
    String longLine = "ääääääääää€€€€€";
    Files.writeString(log, "ab\ncd\n" + longLine + "\nend\n", StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    long offset = 0;
    int reads = 0;
    LogTail.Chunk chunk;
    do {
      chunk = LogTail.read(log, offset, 7, false);
      lines.addAll(chunk.lines());
      offset = chunk.nextOffset();
      reads++;
    } while (chunk.more());
    assertThat(reads).isGreaterThan(3);
    assertThat(offset).isEqualTo(Files.size(log));
    assertThat(lines).startsWith("ab", "cd").endsWith("end");
    assertThat(String.join("", lines.subList(2, lines.size() - 1))).isEqualTo(longLine);
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\uFFFD"));
  }

  @Test
  void utf8BoundaryNeverSplitsASequence() {
    byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC
    assertThat(LogTail.utf8Boundary(euro, 4)).isEqualTo(4);
    assertThat(LogTail.utf8Boundary(euro, 3)).isEqualTo(1);
    assertThat(LogTail.utf8Boundary(euro, 2)).isEqualTo(1);
    assertThat(LogTail.utf8Boundary("abc".getBytes(StandardCharsets.UTF_8), 3)).isEqualTo(3);
  }

  @Test
  void splitsTheTaskPrefixWithBracketsInsideTheId() {
    assertThat(LogTail.splitTaskPrefix("[train] epoch 1")).containsExactly("train", "epoch 1");
    assertThat(LogTail.splitTaskPrefix("[for-loop-2[3]/train] epoch 1")).containsExactly("for-loop-2[3]/train", "epoch 1");
    assertThat(LogTail.splitTaskPrefix("[train]")).containsExactly("train", "");
    assertThat(LogTail.splitTaskPrefix("[train]x")).containsExactly("", "[train]x");
    assertThat(LogTail.splitTaskPrefix("[not an id] x")).containsExactly("", "[not an id] x");
    assertThat(LogTail.splitTaskPrefix("[] x")).containsExactly("", "[] x");
    assertThat(LogTail.splitTaskPrefix("[unbalanced x")).containsExactly("", "[unbalanced x");
    assertThat(LogTail.splitTaskPrefix("plain runner line")).containsExactly("", "plain runner line");
  }
}
