package org.newbornregistry.adapter.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one row of a mapping table on the method that performs it, as IZGateway's v2tofhir
 * does with {@code @ComesFrom}. Nothing dispatches on it; a contract test checks that the rows of
 * {@code conformance/contracts/mapping/*.md} and these annotations agree.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(MapsFrom.List.class)
public @interface MapsFrom {

    /** The v2 field, e.g. {@code PID-7}. */
    String v2();

    /** The FHIR element it lands in, e.g. {@code Patient.birthDate}. */
    String fhir();

    /** How, and where this deviates from the HL7 V2-to-FHIR guide. */
    String note() default "";

    /** Several rows performed by one method. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        MapsFrom[] value();
    }
}
