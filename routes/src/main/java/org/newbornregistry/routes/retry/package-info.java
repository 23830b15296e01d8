/** How the adapter waits before trying again: the outbox towards the index, and the importer's reconnects. */
package org.newbornregistry.routes.retry;
