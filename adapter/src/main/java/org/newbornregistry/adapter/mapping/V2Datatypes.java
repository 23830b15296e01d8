package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.datatype.XAD;
import ca.uhn.hl7v2.model.v26.datatype.XPN;
import ca.uhn.hl7v2.model.v26.datatype.XTN;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The v2 data types the mappings use, converted as the HL7 V2-to-FHIR guide's data type maps
 * do (CX → Identifier, XPN → HumanName, XAD → Address, XTN → ContactPoint, CWE →
 * CodeableConcept, DTM → date/dateTime). Each returns null for an empty value.
 */
final class V2Datatypes {

    /** v2 coding system names (table 0396) and their FHIR system URIs. */
    static final Map<String, String> CODING_SYSTEMS = Map.ofEntries(
            Map.entry("LN", "http://loinc.org"),
            Map.entry("SCT", "http://snomed.info/sct"),
            Map.entry("SNM", "http://snomed.info/sct"),
            Map.entry("UCUM", "http://unitsofmeasure.org"),
            Map.entry("I10", "http://hl7.org/fhir/sid/icd-10"),
            Map.entry("I10C", "http://hl7.org/fhir/sid/icd-10-cm"),
            Map.entry("I9C", "http://hl7.org/fhir/sid/icd-9-cm"),
            Map.entry("CDCREC", "urn:oid:2.16.840.1.113883.6.238"),
            Map.entry("NPI", "http://hl7.org/fhir/sid/us-npi"));

    private static final Pattern LOINC_CODE = Pattern.compile("\\d{1,6}-\\d");
    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\d{2})?(\\.\\d{1,4})?([+-]\\d{4})?");

    private V2Datatypes() {
    }

    /** A CX as an Identifier with its system from the assigning authority and its v2-0203 type. */
    static Identifier identifier(CX cx, MappingContext context) {
        String value = V2Values.text(cx.getIDNumber());
        if (value == null) {
            return null;
        }
        String type = V2Values.text(cx.getIdentifierTypeCode());
        Identifier identifier = new Identifier().setValue(value)
                .setSystem(context.identifierSystem(cx.getAssigningAuthority(), type));
        if (type != null) {
            identifier.getType().addCoding(IdentifierTypes.coding(type, context));
        }
        return identifier;
    }

    /**
     * An EI (entity identifier: order numbers, specimen ids) as an Identifier typed with a
     * v2-0203 code, as the guide's EI[Identifier-Extension] maps do: PLAC for placer, FILL for
     * filler numbers. Null when the EI has no entity identifier.
     */
    static Identifier identifier(EI ei, String type, MappingContext context) {
        String value = V2Values.text(ei.getEntityIdentifier());
        if (value == null) {
            return null;
        }
        Identifier identifier = new Identifier().setValue(value).setSystem(context.identifierSystem(
                V2Values.text(ei.getNamespaceID()), V2Values.text(ei.getUniversalID()),
                V2Values.text(ei.getUniversalIDType()), type));
        identifier.getType().addCoding().setSystem(IdentifierTypes.V2_0203).setCode(type);
        return identifier;
    }

    /** An XPN as a HumanName; the name type (table 0200) becomes the use. */
    static HumanName name(XPN xpn) {
        String family = V2Values.text(xpn.getFamilyName().getSurname());
        String given = V2Values.text(xpn.getGivenName());
        String middle = V2Values.text(xpn.getSecondAndFurtherGivenNamesOrInitialsThereof());
        if (family == null && given == null && middle == null) {
            return null;
        }
        HumanName name = new HumanName().setFamily(family);
        if (given != null) {
            name.addGiven(given);
        }
        if (middle != null) {
            name.addGiven(middle);
        }
        String suffix = V2Values.text(xpn.getSuffixEgJRorIII());
        if (suffix != null) {
            name.addSuffix(suffix);
        }
        String prefix = V2Values.text(xpn.getPrefixEgDR());
        if (prefix != null) {
            name.addPrefix(prefix);
        }
        String type = V2Values.text(xpn.getNameTypeCode());
        if (type != null) {
            HumanName.NameUse use = switch (type.toUpperCase(Locale.ROOT)) {
                case "L" -> HumanName.NameUse.OFFICIAL;
                case "NB", "TEMP" -> HumanName.NameUse.TEMP;
                case "M" -> HumanName.NameUse.MAIDEN;
                case "N" -> HumanName.NameUse.NICKNAME;
                case "A", "D" -> HumanName.NameUse.USUAL;
                case "BAD" -> HumanName.NameUse.OLD;
                case "S" -> HumanName.NameUse.ANONYMOUS;
                default -> null;
            };
            name.setUse(use);
        }
        return name;
    }

    /** An XAD as an Address. */
    static Address address(XAD xad) {
        Address address = new Address();
        String line = V2Values.text(xad.getStreetAddress().getStreetOrMailingAddress());
        if (line != null) {
            address.addLine(line);
        }
        String other = V2Values.text(xad.getOtherDesignation());
        if (other != null) {
            address.addLine(other);
        }
        address.setCity(V2Values.text(xad.getCity()));
        address.setState(V2Values.text(xad.getStateOrProvince()));
        address.setPostalCode(V2Values.text(xad.getZipOrPostalCode()));
        address.setCountry(V2Values.text(xad.getCountry()));
        address.setDistrict(V2Values.text(xad.getCountyParishCode()));
        String type = V2Values.text(xad.getAddressType());
        if ("H".equalsIgnoreCase(type)) {
            address.setUse(Address.AddressUse.HOME);
        } else if ("B".equalsIgnoreCase(type) || "O".equalsIgnoreCase(type)) {
            address.setUse(Address.AddressUse.WORK);
        }
        return address.isEmpty() ? null : address;
    }

    /** An XTN as a ContactPoint: email from component 4, else the number from components 5 to 7 or 1. */
    static ContactPoint telecom(XTN xtn) {
        String email = V2Values.text(xtn.getCommunicationAddress());
        String equipment = V2Values.text(xtn.getTelecommunicationEquipmentType());
        if (email != null || "Internet".equalsIgnoreCase(equipment)) {
            return email == null ? null : new ContactPoint().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(email);
        }
        String area = V2Values.text(xtn.getAreaCityCode());
        String local = V2Values.text(xtn.getLocalNumber());
        String number = local != null
                ? (area != null ? "(" + area + ") " : "") + local
                : V2Values.text(xtn.getTelephoneNumber());
        if (number == null) {
            return null;
        }
        ContactPoint telecom = new ContactPoint().setValue(number)
                .setSystem("FX".equalsIgnoreCase(equipment) ? ContactPoint.ContactPointSystem.FAX : ContactPoint.ContactPointSystem.PHONE);
        String use = V2Values.text(xtn.getTelecommunicationUseCode());
        if ("PRN".equalsIgnoreCase(use)) {
            telecom.setUse(ContactPoint.ContactPointUse.HOME);
        } else if ("WPN".equalsIgnoreCase(use)) {
            telecom.setUse(ContactPoint.ContactPointUse.WORK);
        }
        return telecom;
    }

    /** A CWE as a CodeableConcept with its primary and alternate codings and its text. */
    static CodeableConcept concept(CWE cwe, MappingContext context) {
        CodeableConcept concept = new CodeableConcept();
        Coding primary = coding(V2Values.text(cwe.getIdentifier()), V2Values.text(cwe.getText()),
                V2Values.text(cwe.getNameOfCodingSystem()), context);
        if (primary != null) {
            concept.addCoding(primary);
        }
        Coding alternate = coding(V2Values.text(cwe.getAlternateIdentifier()), V2Values.text(cwe.getAlternateText()),
                V2Values.text(cwe.getNameOfAlternateCodingSystem()), context);
        if (alternate != null) {
            concept.addCoding(alternate);
        }
        String text = V2Values.text(cwe.getOriginalText());
        if (text == null && primary == null) {
            text = V2Values.text(cwe.getText());
        }
        concept.setText(text);
        return concept.isEmpty() ? null : concept;
    }

    /**
     * A code with its v2 coding system name as a Coding. Standard systems map to their FHIR URIs
     * (table 0396), {@code HL7nnnn} to the v2 table's code system, and anything else, being local
     * to the sender, to {@code .../CodeSystem/v2-local/<sender>/<name>}.
     */
    static Coding coding(String code, String display, String systemName, MappingContext context) {
        if (code == null) {
            return null;
        }
        if (systemName == null && LOINC_CODE.matcher(code).matches()) {
            // Why: senders often leave the coding system out of LOINC codes (the MN newborn ADT does).
            return new Coding("http://loinc.org", code, display);
        }
        return new Coding(system(systemName, context), code, display);
    }

    static String system(String systemName, MappingContext context) {
        if (systemName == null) {
            return context.localCodeSystem("unnamed");
        }
        String upper = systemName.toUpperCase(Locale.ROOT);
        String known = CODING_SYSTEMS.get(upper);
        if (known != null) {
            return known;
        }
        Matcher table = Pattern.compile("HL7(\\d{4})").matcher(upper);
        if (table.matches()) {
            return "http://terminology.hl7.org/CodeSystem/v2-" + table.group(1);
        }
        return context.localCodeSystem(systemName);
    }

    /**
     * A DTM as a FHIR date (to day precision) or dateTime (with a time: seconds added where the
     * sender stopped at minutes, the context's zone where it sent no offset).
     *
     * @throws MappingException {@link NbrError#HL7_DATA_TYPE_ERROR} for anything that is not a DTM
     */
    static String dateTime(String dtm, Hl7Location location, MappingContext context) {
        if (dtm == null) {
            return null;
        }
        Matcher m = DTM.matcher(dtm);
        if (!m.matches()) {
            throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, location, "is not a date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ])");
        }
        try {
            String year = m.group(1);
            if (m.group(2) == null) {
                return year;
            }
            if (m.group(3) == null) {
                // Why: unchecked, month 00 or 13 reached HAPI's DateTimeType, whose exception failed the message without an ERR.
                return java.time.YearMonth.of(Integer.parseInt(year), Integer.parseInt(m.group(2))).toString();
            }
            LocalDate date = LocalDate.of(Integer.parseInt(year), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return date.toString();
            }
            int hour = Integer.parseInt(m.group(4));
            int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            LocalDateTime local = date.atTime(hour, minute, second);
            ZoneOffset offset = m.group(8) != null
                    ? ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3))
                    : ZonedDateTime.of(local, context.defaultZone()).getOffset();
            String fraction = m.group(7) == null ? "" : m.group(7);
            return local.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + fraction + formatOffset(offset);
        } catch (DateTimeException | NumberFormatException e) {
            throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, location, "is not a valid calendar date/time");
        }
    }

    /**
     * Like {@link #dateTime}, but a well-formed value naming a moment that does not exist
     * (2017-02-29) is left out with a warning rather than refused: such a time dates a result or
     * a specimen, it identifies no one, and labs do send them. A value that is not a DTM at all
     * is still refused.
     */
    static String resultDateTime(String dtm, Hl7Location location, MappingContext context) {
        try {
            return dateTime(dtm, location, context);
        } catch (MappingException e) {
            if (dtm != null && DTM.matcher(dtm).matches()) {
                context.warn(location, "is not a valid calendar date/time; left out");
                return null;
            }
            throw e;
        }
    }

    /** The calendar date (YYYY-MM-DD, or less) of a DTM as sent, without converting its zone. */
    static String date(String dtm, Hl7Location location, MappingContext context) {
        String full = dateTime(dtm, location, context);
        return full == null ? null : full.length() > 10 ? full.substring(0, 10) : full;
    }

    private static String formatOffset(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
    }
}
