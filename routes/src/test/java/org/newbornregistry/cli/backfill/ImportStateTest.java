package org.newbornregistry.cli.backfill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

class ImportStateTest {

    @Test
    void shouldAdvanceOnlyOverMessagesAllAnsweredFromTheStart(@TempDir Path directory) throws Exception {
        // given
        Path archive = Files.writeString(directory.resolve("a.hl7"), "MSH|...");
        ImportState.Progress progress = ImportState.load(directory.resolve("state.json")).progress(archive, 0);

        // when: answers 1 and 2 come before 0, 4 before 3
        progress.answered(1);
        progress.answered(2);
        long beforeFirst = progress.done();
        progress.answered(0);
        progress.answered(4);

        // then
        assertThat(beforeFirst).isZero();
        assertThat(progress.done()).isEqualTo(3);
    }

    @Test
    void shouldResumeFromTheSavedMarkOfAnUnchangedFile(@TempDir Path directory) throws Exception {
        // given
        Path archive = Files.writeString(directory.resolve("a.hl7"), "MSH|...");
        Path file = directory.resolve("state.json");
        ImportState state = ImportState.load(file);
        ImportState.Progress progress = state.progress(archive, 0);
        progress.answered(0);
        progress.answered(1);
        state.save();

        // then
        assertThat(ImportState.load(file).done(archive)).isEqualTo(2);
    }

    @Test
    void shouldStartAChangedFileOver(@TempDir Path directory) throws Exception {
        // given
        Path archive = Files.writeString(directory.resolve("a.hl7"), "MSH|...");
        Path file = directory.resolve("state.json");
        ImportState state = ImportState.load(file);
        state.progress(archive, 0).answered(0);
        state.save();

        // when
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 60_000));

        // then
        assertThat(ImportState.load(file).done(archive)).isZero();
    }
}
