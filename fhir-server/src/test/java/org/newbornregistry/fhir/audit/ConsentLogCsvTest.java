package org.newbornregistry.fhir.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsentLogCsvTest {

    @Test
    void shouldNeutraliseWhatASpreadsheetReadsAsAFormulaWhereverItsMarkHides() {
        // MSH-3 and organisation names reach the consent log's CSV as sent
        assertThat(ConsentLogController.cell("=SUM(7)")).isEqualTo("'=SUM(7)");
        assertThat(ConsentLogController.cell("\t=SUM(7)")).isEqualTo("'\t=SUM(7)");
        assertThat(ConsentLogController.cell("\r=SUM(7)")).isEqualTo("\"'\r=SUM(7)\"");
        assertThat(ConsentLogController.cell("  +1-2")).isEqualTo("'  +1-2");
        assertThat(ConsentLogController.cell("@cmd")).isEqualTo("'@cmd");
        assertThat(ConsentLogController.cell("GENERAL HOSPITAL")).isEqualTo("GENERAL HOSPITAL");
        assertThat(ConsentLogController.cell("A, B")).isEqualTo("\"A, B\"");
    }
}
