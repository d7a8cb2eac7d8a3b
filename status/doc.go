// Package status implements credential status for Laurel, both sides of
// it, as plain Go with no HTTP and no storage.
//
// The issuer side keeps a Bitstring Status List (W3C Bitstring Status List
// v1.0): a List of bits, one per issued credential, that Encode compresses
// into the encodedList of a BitstringStatusListCredential (§2.2) built by
// Credential; Entry builds the BitstringStatusListEntry (§2.1) a credential
// carries to point at its bit. Signing and publishing the list credential
// are the caller's business.
//
// The verifier side is the Checker: it follows the Validate Algorithm
// (§3.2) for every credentialStatus entry of a credential, fetching each
// list through a function the caller supplies, and also reads the older
// 1EdTechRevocationList entries that Open Badges 3.0 §9 credentials may
// carry. A status that could not be established is Unknown, never Active.
package status
