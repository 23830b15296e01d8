package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Coding;

import java.util.Set;

/**
 * Identifier types (CX-5): a code of HL7 table 0203 is a coding of {@code v2-0203}; anything else
 * a sender puts there ({@code PK}, {@code CF}, {@code SSN}, ...) is the sender's own code, kept in
 * a code system scoped to the sender, so that no stored identifier claims a v2-0203 code that
 * the table does not have (the official validator refuses those).
 */
final class IdentifierTypes {

    /** HL7 table 0203's code system. */
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    /**
     * The codes of table 0203 as THO publishes it for FHIR R4 (v2.9, the CodeSystem in HAPI's
     * validation resources, which {@code IdentifierTypesTableTest} compares this with).
     */
    static final Set<String> TABLE_0203 = Set.of("AC", "ACSN", "AM", "AMA", "AN", "ANC", "AND", "ANON", "ANT", "APRN",
            "ASID", "BA", "BC", "BCFN", "BCT", "BR", "BRN", "BSNR", "CC", "CONM", "CY", "CZ", "DC", "DCFN", "DDS", "DEA",
            "DFN", "DI", "DL", "DN", "DO", "DP", "DPM", "DR", "DS", "EI", "EN", "ESN", "FDR", "FDRFN", "FI", "FILL", "GI",
            "GL", "GN", "HC", "IND", "JHN", "LACSN", "LANR", "LI", "LN", "LR", "MA", "MB", "MC", "MCD", "MCN", "MCR", "MCT",
            "MD", "MI", "MR", "MRT", "MS", "NBSNR", "NCT", "NE", "NH", "NI", "NII", "NIIP", "NNxxx", "NP", "NPI", "OBI",
            "OD", "PA", "PC", "PCN", "PE", "PEN", "PHC", "PHE", "PHO", "PI", "PLAC", "PN", "PNT", "PPIN", "PPN", "PRC",
            "PRN", "PT", "QA", "RI", "RN", "RPH", "RR", "RRI", "RRP", "SB", "SID", "SL", "SN", "SNBSN", "SNO", "SP", "SR",
            "SS", "STN", "TAX", "TN", "TPR", "TRL", "U", "UDI", "UPIN", "USID", "VN", "VP", "VS", "WC", "WCN", "WP",
            "XV", "XX");

    private IdentifierTypes() {
    }

    /** The coding of an identifier type code as the sender sent it. */
    static Coding coding(String code, MappingContext context) {
        if (TABLE_0203.contains(code)) {
            return new Coding(V2_0203, code, null);
        }
        return new Coding(context.localCodeSystem("HL70203"), code, null);
    }
}
