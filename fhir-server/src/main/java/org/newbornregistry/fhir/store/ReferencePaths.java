package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.IModelVisitor2;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Reference element of a resource with its path ({@code Encounter.participant.individual}),
 * including references that no search parameter covers and those inside extensions and
 * contained resources. The path is what error messages and the delete check name.
 */
final class ReferencePaths {

    private ReferencePaths() {
    }

    /** A Reference element and where it sits. */
    record Found(String path, IBaseReference reference) {
    }

    static List<Found> of(FhirContext fhirContext, IBaseResource resource) {
        List<Found> found = new ArrayList<>();
        String root = resource.fhirType();
        fhirContext.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingPath,
                                         List<BaseRuntimeChildDefinition> childPath,
                                         List<BaseRuntimeElementDefinition<?>> elementPath) {
                if (element instanceof IBaseReference reference) {
                    StringBuilder path = new StringBuilder(root);
                    childPath.forEach(child -> path.append('.').append(child.getElementName()));
                    found.add(new Found(path.toString(), reference));
                }
                return true;
            }
        });
        return found;
    }
}
