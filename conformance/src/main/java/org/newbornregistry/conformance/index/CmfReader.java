package org.newbornregistry.conformance.index;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CODIS CMF import file the way the index checks it: the header, then each SPECIMEN
 * with its id (1 to 24 characters), category, and at most 64 loci of names the CMF 2017 schema
 * lists, each typed once with 1 to 8 alleles of 1 to 10 characters. Anything else is refused
 * with an {@link InvalidSubmissionException} that names the element. No DTDs, no external
 * entities: the file comes from outside.
 */
public final class CmfReader {

    /** CMF's namespace. */
    public static final String NAMESPACE = "urn:CODISImportFile-schema";

    /** Locus names of the CMF 2017 schema. */
    static final Set<String> LOCUS_NAMES = Set.of("AMEL", "Amelogenin", "CSF1PO", "D10S1248", "D12S391", "D13S317",
            "D16S539", "D18S51", "D19S433", "D1S1656", "D21S11", "D22S1045", "D2S1338", "D2S441", "D3S1358", "D5S818",
            "D7S820", "D8S1179", "FGA", "Penta D", "Penta E", "SE33", "TH01", "THO1", "TP0X", "TPOX", "vWA", "DYF387S1",
            "DYS19", "DYS385", "DYS389 I", "DYS389 II", "DYS390", "DYS391", "DYS392", "DYS393", "DYS437", "DYS438",
            "DYS439", "DYS448", "DYS449", "DYS456", "DYS458", "DYS460", "DYS481", "DYS518", "DYS533", "DYS549", "DYS570",
            "DYS576", "DYS627", "DYS635", "DYS643", "YGATAH4", "Yindel");

    private static final List<String> HEADER = List.of("HEADERVERSION", "MESSAGETYPE", "DESTINATIONORI", "SOURCELAB",
            "SUBMITBYUSERID", "SUBMITDATETIME");

    /** The specimens of a CMF file as profiles. */
    public List<IndexProfile> read(byte[] xml) {
        Element root = parse(xml).getDocumentElement();
        if (!NAMESPACE.equals(root.getNamespaceURI()) || !"CODISImportFile".equals(root.getLocalName())) {
            throw new InvalidSubmissionException("not a CMF file: the root must be CODISImportFile in " + NAMESPACE);
        }
        for (String name : HEADER) {
            text(single(root, name, "CODISImportFile"), name, 1, 32);
        }
        if (!"Import".equals(single(root, "MESSAGETYPE", "CODISImportFile").getTextContent().trim())) {
            throw new InvalidSubmissionException("MESSAGETYPE must be Import");
        }
        List<Element> specimens = children(root, "SPECIMEN");
        if (specimens.isEmpty()) {
            throw new InvalidSubmissionException("a CMF file needs at least one SPECIMEN");
        }
        List<IndexProfile> profiles = new ArrayList<>();
        for (int s = 0; s < specimens.size(); s++) {
            profiles.add(specimen(specimens.get(s), "SPECIMEN[" + (s + 1) + "]"));
        }
        return profiles;
    }

    private IndexProfile specimen(Element specimen, String where) {
        String id = text(single(specimen, "SPECIMENID", where), where + "/SPECIMENID", 1, 24);
        text(single(specimen, "SPECIMENCATEGORY", where), where + "/SPECIMENCATEGORY", 1, 32);
        List<Element> loci = children(specimen, "LOCUS");
        if (loci.isEmpty() || loci.size() > 64) {
            throw new InvalidSubmissionException(where + " must have 1 to 64 LOCUS elements");
        }
        Map<String, List<String>> typed = new LinkedHashMap<>();
        for (int l = 0; l < loci.size(); l++) {
            String at = where + "/LOCUS[" + (l + 1) + "]";
            String name = text(single(loci.get(l), "LOCUSNAME", at), at + "/LOCUSNAME", 1, 10);
            if (!LOCUS_NAMES.contains(name)) {
                throw new InvalidSubmissionException(at + "/LOCUSNAME is not a locus CMF knows");
            }
            List<Element> alleles = children(loci.get(l), "ALLELE");
            if (alleles.isEmpty() || alleles.size() > 8) {
                throw new InvalidSubmissionException(at + " must have 1 to 8 ALLELE elements");
            }
            List<String> values = new ArrayList<>();
            for (int a = 0; a < alleles.size(); a++) {
                values.add(text(single(alleles.get(a), "ALLELEVALUE", at + "/ALLELE[" + (a + 1) + "]"),
                        at + "/ALLELE[" + (a + 1) + "]/ALLELEVALUE", 1, 10));
            }
            if (typed.put(name, values) != null) {
                throw new InvalidSubmissionException(at + " types a locus a second time");
            }
        }
        return IndexProfile.of(id, typed);
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new InvalidSubmissionException("not well-formed XML (or a DOCTYPE, which CMF never has)");
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("cannot read XML", e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && NAMESPACE.equals(element.getNamespaceURI()) && name.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element single(Element parent, String name, String where) {
        List<Element> found = children(parent, name);
        if (found.size() != 1) {
            throw new InvalidSubmissionException(where + " must have exactly one " + name);
        }
        return found.get(0);
    }

    private static String text(Element element, String where, int min, int max) {
        String text = element.getTextContent().trim();
        if (text.length() < min || text.length() > max) {
            throw new InvalidSubmissionException(where + " must have " + min + " to " + max + " characters");
        }
        return text;
    }
}
