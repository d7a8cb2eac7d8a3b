package issuer

import (
	"encoding/json"
	"time"

	"github.com/laurel-badges/laurel/keys"
)

// Role is what a person may do in the badge office.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"
	RoleReviewer Role = "reviewer"
	RoleEarner   Role = "earner"
)

// User is a person with an API token: an administrator, a reviewer or a
// teacher earning badges.
type User struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Role  Role   `json:"role"`
	// DID is the teacher's own identifier, when they have one; credentials
	// then name it as their subject instead of a hashed email.
	DID     string    `json:"did,omitempty"`
	Created time.Time `json:"created"`
}

// Profile is an issuer's public description (OB 3.0 §B.1.17 Profile).
type Profile struct {
	Name        string `json:"name"`
	URL         string `json:"url,omitempty"`
	Email       string `json:"email,omitempty"`
	Description string `json:"description,omitempty"`
	Image       string `json:"image,omitempty"`
}

// KeyRef points at one of an issuer's signing keys. Retired keys sign no
// more but stay published so that what they signed still verifies.
type KeyRef struct {
	VerificationMethod string     `json:"verificationMethod"`
	Type               keys.Type  `json:"type"`
	File               string     `json:"file"`
	Created            time.Time  `json:"created"`
	Retired            *time.Time `json:"retired,omitempty"`
	// JWT marks the RSA key that signs VC-JWTs (RS256, the OB 3.0
	// minimum); Data Integrity proofs never use it.
	JWT bool `json:"jwt,omitempty"`
}

// Issuer is a district (or another organisation) that issues badges.
type Issuer struct {
	ID      string   `json:"id"`
	DID     string   `json:"did"`
	Profile Profile  `json:"profile"`
	Keys    []KeyRef `json:"keys"`
	// JWT asks for a VC-JWT (RS256) beside every Data Integrity credential.
	JWT     bool      `json:"jwt,omitempty"`
	Created time.Time `json:"created"`
}

// Criteria says what earning an achievement takes (OB 3.0 Criteria).
type Criteria struct {
	Narrative string `json:"narrative"`
	URL       string `json:"url,omitempty"`
}

// Alignment ties an achievement to a standard (OB 3.0 Alignment).
type Alignment struct {
	TargetName      string `json:"targetName"`
	TargetURL       string `json:"targetUrl"`
	TargetFramework string `json:"targetFramework,omitempty"`
	TargetCode      string `json:"targetCode,omitempty"`
}

// RubricLevel is one level of an achievement's rubric (OB 3.0
// RubricCriterionLevel).
type RubricLevel struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Evidence kinds an achievement can require of a submission.
const (
	EvidenceNarrative = "narrative"
	EvidenceLink      = "link"
	EvidenceFile      = "file"
)

// Achievement is a micro-credential a district offers.
type Achievement struct {
	ID               string        `json:"id"`
	IssuerID         string        `json:"issuerId"`
	Name             string        `json:"name"`
	Description      string        `json:"description"`
	Criteria         Criteria      `json:"criteria"`
	AchievementType  string        `json:"achievementType,omitempty"`
	Tags             []string      `json:"tags,omitempty"`
	Alignments       []Alignment   `json:"alignments,omitempty"`
	CreditsAvailable float64       `json:"creditsAvailable"`
	Rubric           []RubricLevel `json:"rubric,omitempty"`
	RequiredEvidence []string      `json:"requiredEvidence,omitempty"`
	// ValidDays, when positive, makes credentials expire that many days
	// after they are awarded.
	ValidDays int `json:"validDays,omitempty"`
	// Image is the id of the stored badge image, if any.
	Image    string    `json:"image,omitempty"`
	Archived bool      `json:"archived,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// State is where a submission stands in review.
type State string

// Submission states. Returned submissions go back to the teacher, who
// resubmits; approved and rejected are final.
const (
	StateSubmitted State = "submitted"
	StateReturned  State = "returned"
	StateApproved  State = "approved"
	StateRejected  State = "rejected"
)

// Evidence is one item a teacher submits. Private evidence is seen by
// reviewers only and never enters a credential.
type Evidence struct {
	Name      string `json:"name,omitempty"`
	Narrative string `json:"narrative,omitempty"`
	URL       string `json:"url,omitempty"`
	File      string `json:"file,omitempty"`
	Public    bool   `json:"public"`
}

// Transition records one change of a submission's state: who, when, why.
type Transition struct {
	From    State     `json:"from,omitempty"`
	To      State     `json:"to"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
}

// Submission is a teacher's claim to an achievement, with its evidence
// and review history.
type Submission struct {
	ID            string       `json:"id"`
	AchievementID string       `json:"achievementId"`
	EarnerID      string       `json:"earnerId"`
	State         State        `json:"state"`
	Evidence      []Evidence   `json:"evidence"`
	RubricLevel   string       `json:"rubricLevel,omitempty"`
	History       []Transition `json:"history"`
	CredentialID  string       `json:"credentialId,omitempty"`
	Created       time.Time    `json:"created"`
	Updated       time.Time    `json:"updated"`
}

// Credential is an issued, signed credential as Laurel keeps it.
type Credential struct {
	ID            string    `json:"id"`
	IssuerID      string    `json:"issuerId"`
	AchievementID string    `json:"achievementId"`
	SubmissionID  string    `json:"submissionId,omitempty"`
	EarnerID      string    `json:"earnerId"`
	Credits       float64   `json:"credits"`
	IssuedAt      time.Time `json:"issuedAt"`
	// Document is the signed JSON-LD credential, exactly as signed, kept
	// as JSON inside the record (not base64).
	Document json.RawMessage `json:"document"`
	// JWT is the VC-JWT form, when the issuer enables it.
	JWT string `json:"jwt,omitempty"`
	// CredentialStatus is where the credential stands and the status list
	// entries it carries. Credentials issued before status lists have
	// none, and cannot be revoked.
	CredentialStatus
}

// Standing is where an issued credential stands.
type Standing string

// Standings of an issued credential. Revoked is final (Bitstring Status
// List v1.0 §2.1: a revocation cannot be undone); a suspension can be
// lifted.
const (
	StandingActive    Standing = "active"
	StandingSuspended Standing = "suspended"
	StandingRevoked   Standing = "revoked"
)

// StatusAction is a change of standing an administrator asks for.
type StatusAction string

// Status actions.
const (
	ActionRevoke    StatusAction = "revoke"
	ActionSuspend   StatusAction = "suspend"
	ActionReinstate StatusAction = "reinstate"
)

// CredentialStatus is the status Laurel keeps for a credential it issued:
// its standing, the BitstringStatusListEntry values it carries, and every
// change of standing with who made it and why.
type CredentialStatus struct {
	// Standing is empty for a credential issued before status lists.
	Standing Standing       `json:"status,omitempty"`
	Entries  []StatusEntry  `json:"statusEntries,omitempty"`
	History  []StatusChange `json:"statusHistory,omitempty"`
}

// StatusEntry is one bit a credential holds in one status list.
type StatusEntry struct {
	Purpose string `json:"purpose"`
	// List names the list as issuer/purpose/number, the path of its
	// public URL under /status/.
	List  string `json:"list"`
	Index int    `json:"index"`
}

// StatusChange records one change of a credential's standing.
type StatusChange struct {
	At     time.Time    `json:"at"`
	By     string       `json:"by"`
	Action StatusAction `json:"action"`
	Reason string       `json:"reason,omitempty"`
}

// AuditRecord is one line of the append-only audit record: who did what to
// which record, or was refused.
type AuditRecord struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
}
