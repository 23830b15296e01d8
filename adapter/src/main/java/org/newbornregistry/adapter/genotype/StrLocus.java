package org.newbornregistry.adapter.genotype;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The STR loci the registry accepts: the 20 CODIS core loci, Amelogenin, Penta D and E, SE33 and
 * the Y-STRs of the CODIS Common Message Format (CMF 2017 schema, {@code LocusNameType}). Each
 * has a code in the registry's STR locus CodeSystem, its CMF name, and the spellings senders use
 * (TH01/THO1, TPOX/TP0X, "Penta D"/Penta_D, ...). Any other name is refused, not guessed.
 */
public enum StrLocus {
    AMELOGENIN("Amelogenin", "Amelogenin", "AMEL", "AM"),
    CSF1PO("CSF1PO", "CSF1PO"),
    D10S1248("D10S1248", "D10S1248"),
    D12S391("D12S391", "D12S391"),
    D13S317("D13S317", "D13S317"),
    D16S539("D16S539", "D16S539"),
    D18S51("D18S51", "D18S51"),
    D19S433("D19S433", "D19S433"),
    D1S1656("D1S1656", "D1S1656"),
    D21S11("D21S11", "D21S11"),
    D22S1045("D22S1045", "D22S1045"),
    D2S1338("D2S1338", "D2S1338"),
    D2S441("D2S441", "D2S441"),
    D3S1358("D3S1358", "D3S1358"),
    D5S818("D5S818", "D5S818"),
    D7S820("D7S820", "D7S820"),
    D8S1179("D8S1179", "D8S1179"),
    FGA("FGA", "FGA"),
    TH01("TH01", "TH01", "THO1"),
    TPOX("TPOX", "TPOX", "TP0X"),
    VWA("vWA", "vWA"),
    PENTA_D("Penta D", "Penta D", "PentaD", "Penta_D"),
    PENTA_E("Penta E", "Penta E", "PentaE", "Penta_E"),
    SE33("SE33", "SE33", "ACTBP2"),
    DYF387S1("DYF387S1", "DYF387S1"),
    DYS19("DYS19", "DYS19"),
    DYS385("DYS385", "DYS385"),
    DYS389I("DYS389 I", "DYS389 I", "DYS389I"),
    DYS389II("DYS389 II", "DYS389 II", "DYS389II"),
    DYS390("DYS390", "DYS390"),
    DYS391("DYS391", "DYS391"),
    DYS392("DYS392", "DYS392"),
    DYS393("DYS393", "DYS393"),
    DYS437("DYS437", "DYS437"),
    DYS438("DYS438", "DYS438"),
    DYS439("DYS439", "DYS439"),
    DYS448("DYS448", "DYS448"),
    DYS449("DYS449", "DYS449"),
    DYS456("DYS456", "DYS456"),
    DYS458("DYS458", "DYS458"),
    DYS460("DYS460", "DYS460"),
    DYS481("DYS481", "DYS481"),
    DYS518("DYS518", "DYS518"),
    DYS533("DYS533", "DYS533"),
    DYS549("DYS549", "DYS549"),
    DYS570("DYS570", "DYS570"),
    DYS576("DYS576", "DYS576"),
    DYS627("DYS627", "DYS627"),
    DYS635("DYS635", "DYS635"),
    DYS643("DYS643", "DYS643"),
    YGATAH4("YGATAH4", "YGATAH4", "Y-GATA-H4"),
    YINDEL("Yindel", "Yindel");

    /** The 20 CODIS core loci. */
    public static final List<StrLocus> CODIS_CORE = List.of(CSF1PO, FGA, TH01, TPOX, VWA, D3S1358, D5S818, D7S820,
            D8S1179, D13S317, D16S539, D18S51, D21S11, D1S1656, D2S441, D2S1338, D10S1248, D12S391, D19S433, D22S1045);

    private static final Map<String, StrLocus> BY_SPELLING = new HashMap<>();

    static {
        for (StrLocus locus : values()) {
            BY_SPELLING.put(normalize(locus.name()), locus);
            for (String alias : locus.aliases) {
                BY_SPELLING.put(normalize(alias), locus);
            }
        }
    }

    private final String cmfName;
    private final String[] aliases;

    StrLocus(String cmfName, String... aliases) {
        this.cmfName = cmfName;
        this.aliases = aliases;
    }

    /** The code in the registry's STR locus CodeSystem. */
    public String code() {
        return cmfName.replace(' ', '_');
    }

    /** The name CMF's LOCUSNAME uses. */
    public String cmfName() {
        return cmfName;
    }

    /** The spellings senders use for this locus, as listed (the registry's STR locus CodeSystem carries them as designations). */
    public List<String> aliases() {
        return List.of(aliases);
    }

    /** Whether alleles of this locus are X and Y rather than repeat numbers. */
    public boolean isSexMarker() {
        return this == AMELOGENIN;
    }

    /** The locus a sender's spelling names, if it is one the registry accepts. */
    public static Optional<StrLocus> find(String spelling) {
        return spelling == null ? Optional.empty() : Optional.ofNullable(BY_SPELLING.get(normalize(spelling)));
    }

    // Why: "Penta D", "Penta_D", "PENTA-D" are one locus; letter O versus digit 0 is kept apart (TH01/THO1 are listed).
    private static String normalize(String spelling) {
        return spelling.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
    }
}
