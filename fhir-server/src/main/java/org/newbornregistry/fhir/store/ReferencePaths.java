package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseHasExtensions;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

import java.util.ArrayList;
import java.util.List;

/**
 * Every Reference element of a resource with its path ({@code Encounter.participant.individual}),
 * including references that no search parameter covers and those inside extensions and
 * contained resources. The path is what error messages and the delete check name.
 *
 * <p>The walk is the one {@code FhirTerser.visit(IBase, IModelVisitor2)} makes — the same children
 * in the same order, the same paths, contained resources and the extensions of primitives entered
 * ({@code ReferencePathsTest} holds it to the terser's answers) — without what makes the terser slow
 * for this one question on every write: the three path lists copied for every element, and an
 * {@code isEmpty()} walk of every subtree before it is entered (an empty subtree holds no reference
 * to find; only an empty Reference itself is left out, as the terser does); a primitive is entered
 * only when it has extensions.
 */
final class ReferencePaths {

    private ReferencePaths() {
    }

    /** A Reference element and where it sits. */
    record Found(String path, IBaseReference reference) {
    }

    static List<Found> of(FhirContext fhirContext, IBaseResource resource) {
        List<Found> found = new ArrayList<>();
        BaseRuntimeElementCompositeDefinition<?> definition = fhirContext.getResourceDefinition(resource);
        walk(fhirContext, resource, definition, new StringBuilder(resource.fhirType()), found);
        return found;
    }

    private static void walk(FhirContext fhirContext, IBase element, BaseRuntimeElementDefinition<?> definition,
                             StringBuilder path, List<Found> found) {
        List<BaseRuntimeChildDefinition> children = definition instanceof BaseRuntimeElementCompositeDefinition<?> composite
                ? composite.getChildrenAndExtension() : definition.getChildren();
        for (BaseRuntimeChildDefinition child : children) {
            List<? extends IBase> values = child.getAccessor().getValues(element);
            if (values == null || values.isEmpty()) {
                continue;
            }
            int parent = path.length();
            path.append('.').append(child.getElementName());
            for (IBase value : values) {
                if (value == null || value instanceof IPrimitiveType<?> && !hasExtension(value)) {
                    continue;
                }
                if (value instanceof IBaseReference reference) {
                    if (reference.isEmpty()) {
                        continue;
                    }
                    found.add(new Found(path.toString(), reference));
                }
                BaseRuntimeElementDefinition<?> valueDefinition = definitionOf(fhirContext, child, value);
                if (valueDefinition.getChildType() == BaseRuntimeElementDefinition.ChildTypeEnum.CONTAINED_RESOURCE_LIST) {
                    valueDefinition = fhirContext.getElementDefinition(value.getClass());
                }
                walk(fhirContext, value, valueDefinition, path, found);
            }
            path.setLength(parent);
        }
    }

    private static boolean hasExtension(IBase value) {
        return value instanceof IBaseHasExtensions extensions && extensions.hasExtension();
    }

    /** The definition of a child's value: by its class, or a superclass of it, as the terser finds it. */
    private static BaseRuntimeElementDefinition<?> definitionOf(FhirContext fhirContext, BaseRuntimeChildDefinition child,
                                                                IBase value) {
        Class<?> type = value.getClass();
        while (type != null && IBase.class.isAssignableFrom(type)) {
            @SuppressWarnings("unchecked")
            BaseRuntimeElementDefinition<?> definition = child.getChildElementDefinitionByDatatype((Class<? extends IBase>) type);
            if (definition != null) {
                return definition;
            }
            type = type.getSuperclass();
        }
        throw new IllegalStateException("no FHIR definition for a value of " + child.getElementName());
    }
}
