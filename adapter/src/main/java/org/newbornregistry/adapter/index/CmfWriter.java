package org.newbornregistry.adapter.index;

import org.newbornregistry.adapter.genotype.LocusGenotype;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Writes a submission as a CODIS Common Message Format import file (CMF 3.2, valid against
 * the CMF 2017 schema): the header naming the destination index and the submitting lab, one
 * SPECIMEN whose id is the pseudonym, and a LOCUS per typed locus with its alleles as the lab
 * wrote them. Times are written in UTC without an offset, as CMF's examples and its date
 * range restriction expect.
 */
public final class CmfWriter {

    /** CMF's namespace. */
    public static final String NAMESPACE = "urn:CODISImportFile-schema";

    private static final DateTimeFormatter CMF_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private final CmfHeader header;
    private final XMLOutputFactory factory = XMLOutputFactory.newFactory();

    public CmfWriter(CmfHeader header) {
        this.header = header;
    }

    /**
     * The import file of one submission.
     *
     * @param batchId     the batch the submission travels in (CMF BATCHID, at most 32 characters)
     * @param submittedAt when the file is submitted
     */
    public String write(IndexSubmission submission, String batchId, Instant submittedAt) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = factory.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("CODISImportFile");
            xml.writeDefaultNamespace(NAMESPACE);
            element(xml, "HEADERVERSION", "3.2");
            element(xml, "MESSAGETYPE", "Import");
            element(xml, "DESTINATIONORI", header.destinationOri());
            element(xml, "SOURCELAB", header.sourceLab());
            element(xml, "SUBMITBYUSERID", header.submittedBy());
            element(xml, "SUBMITDATETIME", time(submittedAt));
            element(xml, "BATCHID", batchId);
            if (submission.kit() != null) {
                element(xml, "KIT", submission.kit());
            }
            xml.writeStartElement("SPECIMEN");
            xml.writeAttribute("PARTIAL", Boolean.toString(submission.partial()));
            element(xml, "SPECIMENID", submission.pseudonym());
            element(xml, "SPECIMENCATEGORY", header.specimenCategory());
            for (LocusGenotype locus : submission.loci()) {
                xml.writeStartElement("LOCUS");
                element(xml, "LOCUSNAME", locus.locus().cmfName());
                element(xml, "READINGBY", header.submittedBy());
                element(xml, "READINGDATETIME", time(submission.typedAt()));
                for (String allele : locus.alleles()) {
                    xml.writeStartElement("ALLELE");
                    element(xml, "ALLELEVALUE", allele);
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a CMF file", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static String time(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).format(CMF_TIME);
    }
}
