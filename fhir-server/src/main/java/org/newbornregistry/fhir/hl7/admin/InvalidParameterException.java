package org.newbornregistry.fhir.hl7.admin;

/** A query parameter of the admin API that cannot be used; the message names it but never repeats its value. */
class InvalidParameterException extends RuntimeException {

    private final String parameter;

    InvalidParameterException(String parameter, String problem) {
        super("parameter " + parameter + " " + problem);
        this.parameter = parameter;
    }

    /** The parameter's name. */
    String parameter() {
        return parameter;
    }
}
