package issuer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/store"
)

// ApproveInput is a reviewer's decision to award.
type ApproveInput struct {
	// RubricLevel is the id of the level achieved, when the achievement has
	// a rubric.
	RubricLevel string `json:"rubricLevel,omitempty"`
	Comment     string `json:"comment,omitempty"`
}

// Approve accepts a submission and issues its credential. The credential,
// the submission's new state and the audit record are written in one
// transaction. Approving an approved submission returns the credential it
// already has: never two credentials for one submission.
func (s *Service) Approve(ctx context.Context, actor *User, id string, in ApproveInput) (*Credential, error) {
	if err := s.require(actor, "submission.approve", RoleReviewer, RoleAdmin); err != nil {
		return nil, err
	}

	sub, err := s.Submission(actor, id)
	if err != nil {
		return nil, err
	}
	if sub.CredentialID != "" {
		return s.Credential(sub.CredentialID)
	}
	if sub.State != StateSubmitted {
		return nil, fmt.Errorf("%w: submission is %s", ErrConflict, sub.State)
	}

	a, err := s.Achievement(sub.AchievementID)
	if err != nil {
		return nil, err
	}
	if in.RubricLevel != "" && !hasLevel(a, in.RubricLevel) {
		return nil, fmt.Errorf("%w: rubric level %q is not one of the achievement's", ErrInvalid, in.RubricLevel)
	}
	earner, err := s.User(sub.EarnerID)
	if err != nil {
		return nil, err
	}

	cred, err := s.sign(a, earner, sub.Evidence, in.RubricLevel)
	if err != nil {
		return nil, err
	}
	cred.SubmissionID = sub.ID

	return s.storeApproval(ctx, actor, sub.ID, cred, in)
}

// publishEvidence marks the files of public evidence as citable by the
// credential, so anyone following the credential's evidence link gets them.
func publishEvidence(tx *store.Tx, evidence []Evidence, credID string) error {
	for _, e := range evidence {
		if e.Public && e.File != "" {
			if err := tx.PutRaw(store.Index, publicFileKey(e.File), []byte(credID)); err != nil {
				return err
			}
		}
	}
	return nil
}

func hasLevel(a *Achievement, id string) bool {
	for _, l := range a.Rubric {
		if l.ID == id {
			return true
		}
	}
	return false
}

// storeApproval writes the credential unless another approval got there
// first, in which case that credential is returned. It runs as a bbolt
// batch, so it re-reads the submission and may safely run twice.
func (s *Service) storeApproval(ctx context.Context, actor *User, subID string, cred *Credential,
	in ApproveInput) (*Credential, error) {
	var existing string
	err := s.db.Batch(func(tx *store.Tx) error {
		var sub Submission
		if err := tx.Get(store.Submissions, subID, &sub); err != nil {
			return notFound(err)
		}
		if sub.CredentialID != "" {
			existing = sub.CredentialID
			return errAlreadyIssued
		}
		if sub.State != StateSubmitted {
			return fmt.Errorf("%w: submission is %s", ErrConflict, sub.State)
		}

		old := queueKey(&sub)
		sub.RubricLevel, sub.CredentialID = in.RubricLevel, cred.ID
		_ = moveTo(&sub, StateApproved, actor.ID, in.Comment, s.now())
		if err := putSubmission(tx, &sub, old); err != nil {
			return err
		}
		if err := publishEvidence(tx, sub.Evidence, cred.ID); err != nil {
			return err
		}
		return s.putCredential(tx, actor.ID, cred)
	})
	if errors.Is(err, errAlreadyIssued) {
		return s.Credential(existing)
	}
	if err != nil {
		return nil, fmt.Errorf("storing credential: %w", err)
	}
	s.count()
	s.log.InfoContext(ctx, "credential issued", "credential_id", cred.ID, "submission_id", subID, "actor", actor.ID)
	return cred, nil
}

func (s *Service) count() {
	if s.issued != nil {
		s.issued.Inc()
	}
}

func (s *Service) putCredential(tx *store.Tx, actorID string, cred *Credential) error {
	if err := tx.Put(store.Credentials, cred.ID, cred); err != nil {
		return err
	}
	if err := tx.PutRaw(store.Index, "holder/"+cred.EarnerID+"/"+cred.ID, []byte(cred.ID)); err != nil {
		return err
	}
	return s.audit(tx, actorID, "credential.issue", cred.ID, cred.AchievementID)
}

// Recipient names who a direct award goes to: an existing user, or a
// person known by email (bulk awards from a roster).
type Recipient struct {
	UserID string `json:"userId,omitempty"`
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
}

// Award issues an achievement directly, without a submission. Awards are
// idempotent per achievement and recipient: awarding again returns the
// credential already issued, with issued false.
func (s *Service) Award(ctx context.Context, actor *User, achievementID string,
	to Recipient) (cred *Credential, issued bool, err error) {
	if err := s.require(actor, "credential.award", RoleAdmin); err != nil {
		return nil, false, err
	}
	a, err := s.Achievement(achievementID)
	if err != nil {
		return nil, false, err
	}
	earner, err := s.recipient(to)
	if err != nil {
		return nil, false, err
	}

	key := "award/" + a.ID + "/" + recipientKey(earner)
	if id, ok := s.indexed(key); ok {
		c, err := s.Credential(id)
		return c, false, err
	}

	if cred, err = s.sign(a, earner, nil, ""); err != nil {
		return nil, false, err
	}
	return s.storeAward(ctx, actor, key, earner, cred)
}

// storeAward writes the credential, and the recipient when they are new,
// in one batched transaction that may run twice.
func (s *Service) storeAward(ctx context.Context, actor *User, key string, earner *User,
	cred *Credential) (*Credential, bool, error) {
	var existing string
	err := s.db.Batch(func(tx *store.Tx) error {
		if raw, err := tx.GetRaw(store.Index, key); err == nil {
			existing = string(raw)
			return errAlreadyIssued
		}
		id, err := putRecipient(tx, earner)
		if err != nil {
			return err
		}
		cred.EarnerID = id
		if err := tx.PutRaw(store.Index, key, []byte(cred.ID)); err != nil {
			return err
		}
		return s.putCredential(tx, actor.ID, cred)
	})
	if errors.Is(err, errAlreadyIssued) {
		c, err := s.Credential(existing)
		return c, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("storing credential: %w", err)
	}
	s.count()
	s.log.InfoContext(ctx, "credential awarded", "credential_id", cred.ID, "actor", actor.ID)
	return cred, true, nil
}

// putRecipient stores a recipient known only by email the first time they
// are awarded anything, and returns the id they are known by: the stored
// one, when a concurrent award stored the same email first.
func putRecipient(tx *store.Tx, u *User) (string, error) {
	if u.Email == "" || tx.Has(store.Users, u.ID) {
		return u.ID, nil
	}
	key := emailKey(u.Email)
	if raw, err := tx.GetRaw(store.Index, key); err == nil {
		return string(raw), nil
	}
	if err := tx.Put(store.Users, u.ID, u); err != nil {
		return "", err
	}
	return u.ID, tx.PutRaw(store.Index, key, []byte(u.ID))
}

func emailKey(email string) string { return "email/" + lower(email) }

func (s *Service) indexed(key string) (string, bool) {
	var id string
	_ = s.db.View(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(store.Index, key)
		id = string(raw)
		return err
	})
	return id, id != ""
}

// recipient resolves a Recipient to a user. A recipient known only by
// email gets an earner record (stored with their first award), so their
// credentials can be listed and they can be invited later.
func (s *Service) recipient(to Recipient) (*User, error) {
	if to.UserID != "" {
		return s.User(to.UserID)
	}
	email := lower(to.Email)
	if !strings.Contains(email, "@") || len(email) > 254 {
		return nil, fmt.Errorf("%w: a recipient needs a user id or an email address", ErrInvalid)
	}

	if id, ok := s.indexed(emailKey(email)); ok {
		return s.User(id)
	}
	return &User{ID: "usr_" + randomID(8), Name: strings.TrimSpace(to.Name), Email: email, Role: RoleEarner,
		Created: s.now().UTC()}, nil
}

func recipientKey(u *User) string {
	if u.Email != "" {
		return "email:" + lower(u.Email)
	}
	return "user:" + u.ID
}

// Credential returns an issued credential by its id (urn:uuid:... or the
// bare UUID).
func (s *Service) Credential(id string) (*Credential, error) {
	id = credentialKey(id)
	var c Credential
	if err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Credentials, id, &c) }); err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// sign builds the OB 3.0 credential for an award and signs it (and makes
// its VC-JWT when the issuer asks for one). Besides reserving the
// credential's status list indexes, it writes nothing.
func (s *Service) sign(a *Achievement, earner *User, evidence []Evidence, level string) (*Credential, error) {
	iss, err := s.Issuer(a.IssuerID)
	if err != nil {
		return nil, err
	}
	signer, err := s.signer(iss)
	if err != nil {
		return nil, err
	}

	entries, err := s.ReserveStatus(iss.ID, s.purposes...)
	if err != nil {
		return nil, err
	}

	now := s.now().UTC().Truncate(time.Second)
	id := "urn:uuid:" + newUUID()
	doc := s.buildCredential(id, iss, a, earner, evidence, level, now)
	doc["credentialStatus"] = s.statusJSON(entries)

	cred := &Credential{ID: id, IssuerID: iss.ID, AchievementID: a.ID, EarnerID: earner.ID,
		Credits: a.CreditsAvailable, IssuedAt: now,
		CredentialStatus: CredentialStatus{Standing: StandingActive, Entries: entries}}
	if cred.Document, err = signer.Sign(doc, SignOptions{Created: now}); err != nil {
		return nil, fmt.Errorf("signing credential: %w", err)
	}
	if iss.JWT {
		if cred.JWT, err = s.signJWT(iss, doc); err != nil {
			return nil, err
		}
	}
	return cred, nil
}

func (s *Service) signJWT(iss *Issuer, doc map[string]any) (string, error) {
	signer, err := s.jwtSigner(iss)
	if err != nil {
		return "", err
	}
	jwt, err := signer.Sign(doc, SignOptions{Format: JWT})
	if err != nil {
		return "", fmt.Errorf("signing VC-JWT: %w", err)
	}
	return string(jwt), nil
}

// buildCredential assembles an OB 3.0 AchievementCredential (OB 3.0 §B.1.1)
// on the VC 2.0 data model.
func (s *Service) buildCredential(id string, iss *Issuer, a *Achievement, earner *User, evidence []Evidence,
	level string, now time.Time) map[string]any {
	doc := map[string]any{
		"@context":          []any{schemas.ContextVC2, schemas.ContextOB303},
		"id":                id,
		"type":              []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":              a.Name,
		"issuer":            s.profileJSON(iss),
		"validFrom":         now.Format(time.RFC3339),
		"awardedDate":       now.Format(time.RFC3339),
		"credentialSubject": s.subjectJSON(a, earner, level),
		"credentialSchema": []any{map[string]any{
			"id": schemas.SchemaAchievementCredential, "type": "JsonSchema",
		}},
	}
	if a.ValidDays > 0 {
		doc["validUntil"] = now.AddDate(0, 0, a.ValidDays).Format(time.RFC3339)
	}
	if ev := s.evidenceJSON(evidence); len(ev) > 0 {
		doc["evidence"] = ev
	}
	return doc
}

func (s *Service) profileJSON(iss *Issuer) map[string]any {
	p := map[string]any{"id": iss.DID, "type": []any{"Profile"}, "name": iss.Profile.Name}
	setIf(p, "url", iss.Profile.URL)
	setIf(p, "email", iss.Profile.Email)
	setIf(p, "description", iss.Profile.Description)
	if iss.Profile.Image != "" {
		p["image"] = map[string]any{"id": iss.Profile.Image, "type": "Image"}
	}
	return p
}

func (s *Service) subjectJSON(a *Achievement, earner *User, level string) map[string]any {
	subj := map[string]any{
		"type":          []any{"AchievementSubject"},
		"achievement":   s.achievementJSON(a),
		"creditsEarned": a.CreditsAvailable,
	}
	if earner.DID != "" {
		subj["id"] = earner.DID
	} else {
		subj["identifier"] = []any{identityObject(earner.Email)}
	}
	if level != "" {
		subj["result"] = []any{map[string]any{
			"type": []any{"Result"}, "resultDescription": s.rubricID(a), "achievedLevel": s.levelID(a, level),
		}}
	}
	return subj
}

// identityObject hides a teacher's email behind a salted SHA-256 (OB 3.0
// §B.1.12 IdentityObject), so the credential identifies them to whoever
// knows the email without publishing it.
func identityObject(email string) map[string]any {
	salt := randomID(12)
	sum := sha256.Sum256([]byte(lower(email) + salt))
	return map[string]any{
		"type": "IdentityObject", "identityHash": "sha256$" + hex.EncodeToString(sum[:]),
		"identityType": "emailAddress", "hashed": true, "salt": salt,
	}
}

func (s *Service) achievementURL(a *Achievement) string {
	return s.publicURL + "/achievements/" + a.ID
}

func (s *Service) rubricID(a *Achievement) string { return s.achievementURL(a) + "#rubric" }

func (s *Service) levelID(a *Achievement, level string) string {
	return s.achievementURL(a) + "#level-" + level
}

func (s *Service) achievementJSON(a *Achievement) map[string]any {
	criteria := map[string]any{"narrative": a.Criteria.Narrative}
	setIf(criteria, "id", a.Criteria.URL)
	out := map[string]any{
		"id": s.achievementURL(a), "type": []any{"Achievement"},
		"name": a.Name, "description": a.Description, "criteria": criteria,
		"creditsAvailable": a.CreditsAvailable,
	}
	setIf(out, "achievementType", a.AchievementType)
	if a.Image != "" {
		out["image"] = map[string]any{"id": s.achievementURL(a) + "/image", "type": "Image"}
	}
	if len(a.Tags) > 0 {
		out["tag"] = toAny(a.Tags)
	}
	if len(a.Alignments) > 0 {
		out["alignment"] = alignmentsJSON(a.Alignments)
	}
	if len(a.Rubric) > 0 {
		out["resultDescription"] = []any{s.rubricJSON(a)}
	}
	return out
}

func alignmentsJSON(list []Alignment) []any {
	out := make([]any, len(list))
	for i, al := range list {
		m := map[string]any{"type": []any{"Alignment"}, "targetName": al.TargetName, "targetUrl": al.TargetURL}
		setIf(m, "targetFramework", al.TargetFramework)
		setIf(m, "targetCode", al.TargetCode)
		out[i] = m
	}
	return out
}

func (s *Service) rubricJSON(a *Achievement) map[string]any {
	levels := make([]any, len(a.Rubric))
	for i, l := range a.Rubric {
		m := map[string]any{"id": s.levelID(a, l.ID), "type": []any{"RubricCriterionLevel"}, "name": l.Name}
		setIf(m, "description", l.Description)
		levels[i] = m
	}
	return map[string]any{
		"id": s.rubricID(a), "type": []any{"ResultDescription"}, "name": "Rubric",
		"resultType": "RubricCriterionLevel", "rubricCriterionLevel": levels,
	}
}

// evidenceJSON keeps only public evidence: private evidence is for
// reviewers and never enters a credential.
func (s *Service) evidenceJSON(list []Evidence) []any {
	var out []any
	for _, e := range list {
		if !e.Public {
			continue
		}
		m := map[string]any{"type": []any{"Evidence"}}
		switch {
		case e.URL != "":
			m["id"] = e.URL
		case e.File != "":
			m["id"] = s.publicURL + "/evidence/" + e.File
		}
		setIf(m, "name", e.Name)
		setIf(m, "narrative", e.Narrative)
		out = append(out, m)
	}
	return out
}

func setIf(m map[string]any, key, value string) {
	if value != "" {
		m[key] = value
	}
}

func toAny(list []string) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	copy(b[:], randomBytes(16))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
