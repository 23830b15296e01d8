/**
 * What goes to the national DNA index: the pseudonym a newborn is known by there, and the
 * submission in the index's wire formats. Nothing here can carry a name, a record number, a
 * birth date, an address or anything about the mother: the types have no place for them.
 */
package org.newbornregistry.adapter.index;
