/**
 * The auditor and operator console at {@code /console}: server-rendered pages over the adapter's
 * own APIs. Every page asks the API with the signed-in user's bearer token ({@link RegistryApi}),
 * so what a page shows follows the role exactly as the API does — the same authorisation rules,
 * masking, custody and audit, not a second copy of them. A refusal by the API is shown as one.
 */
package org.newbornregistry.console;
