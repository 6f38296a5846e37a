package org.syncservice.server.workspace;

/** A member's role in a workspace; stored by name. */
public enum MemberRole { OWNER, MEMBER }
