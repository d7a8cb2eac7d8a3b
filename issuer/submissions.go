package issuer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/store"
)

// Evidence file limits: reviewers read these, and they live in the data
// file, so only common document and image types of modest size.
const maxEvidenceBytes = 5 << 20

var evidenceTypes = []string{"application/pdf", "image/png", "image/jpeg", "text/plain"}

// UploadEvidence stores a file a teacher will attach to a submission and
// returns its id.
func (s *Service) UploadEvidence(ctx context.Context, actor *User, name, contentType string,
	data []byte) (string, error) {
	if err := s.require(actor, "evidence.upload", RoleEarner); err != nil {
		return "", err
	}
	if len(data) == 0 || len(data) > maxEvidenceBytes {
		return "", fmt.Errorf("%w: evidence files must be between 1 byte and %d MiB", ErrInvalid, maxEvidenceBytes>>20)
	}
	if !slices.Contains(evidenceTypes, contentType) {
		return "", fmt.Errorf("%w: evidence files must be PDF, PNG, JPEG or plain text", ErrInvalid)
	}

	id := "file_" + randomID(8)
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.Files, id, storedFile{ContentType: contentType, Name: name, Data: data}); err != nil {
			return err
		}
		return tx.PutRaw(store.Index, ownerKey(id), []byte(actor.ID))
	})
	if err != nil {
		return "", fmt.Errorf("storing evidence file: %w", err)
	}
	return id, nil
}

func ownerKey(fileID string) string { return "owner/" + fileID }

// Submit claims an achievement with evidence, putting it in the review
// queue.
func (s *Service) Submit(ctx context.Context, actor *User, achievementID string,
	evidence []Evidence) (*Submission, error) {
	if err := s.require(actor, "submission.create", RoleEarner); err != nil {
		return nil, err
	}
	a, err := s.Achievement(achievementID)
	if err != nil {
		return nil, err
	}
	if a.Archived {
		return nil, fmt.Errorf("%w: achievement %s is archived", ErrConflict, a.ID)
	}

	now := s.now().UTC()
	sub := &Submission{ID: "sub_" + randomID(8), AchievementID: a.ID, EarnerID: actor.ID,
		State: StateSubmitted, Created: now, Updated: now}
	err = s.db.Update(func(tx *store.Tx) error {
		if err := checkEvidence(tx, actor.ID, a, evidence); err != nil {
			return err
		}
		sub.Evidence = evidence
		sub.History = []Transition{{To: StateSubmitted, By: actor.ID, At: now}}
		if err := putSubmission(tx, sub, ""); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "submission.create", sub.ID, a.ID)
	})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "submission received", "submission_id", sub.ID, "achievement_id", a.ID)
	return sub, nil
}

// checkEvidence enforces the achievement's required kinds of evidence and
// that attached files belong to the submitter.
func checkEvidence(tx *store.Tx, earnerID string, a *Achievement, evidence []Evidence) error {
	if len(evidence) == 0 || len(evidence) > 20 {
		return fmt.Errorf("%w: a submission needs 1 to 20 pieces of evidence", ErrInvalid)
	}

	has := map[string]bool{}
	for _, e := range evidence {
		if err := checkEvidenceItem(tx, earnerID, e); err != nil {
			return err
		}
		has[EvidenceNarrative] = has[EvidenceNarrative] || !blank(e.Narrative)
		has[EvidenceLink] = has[EvidenceLink] || e.URL != ""
		has[EvidenceFile] = has[EvidenceFile] || e.File != ""
	}

	for _, kind := range a.RequiredEvidence {
		if !has[kind] {
			return fmt.Errorf("%w: this achievement requires %s evidence", ErrInvalid, kind)
		}
	}
	return nil
}

func checkEvidenceItem(tx *store.Tx, earnerID string, e Evidence) error {
	switch {
	case blank(e.Narrative) && e.URL == "" && e.File == "":
		return fmt.Errorf("%w: each piece of evidence needs a narrative, a link or a file", ErrInvalid)
	case len(e.Narrative) > 10000 || len(e.Name) > 200:
		return fmt.Errorf("%w: evidence narrative or name too long", ErrInvalid)
	case e.URL != "" && !httpURL(e.URL):
		return fmt.Errorf("%w: evidence links must be http(s) URLs", ErrInvalid)
	}

	if e.File != "" {
		owner, err := tx.GetRaw(store.Index, ownerKey(e.File))
		if err != nil || string(owner) != earnerID {
			return fmt.Errorf("%w: evidence file %s was not uploaded by you", ErrInvalid, e.File)
		}
	}
	return nil
}

// Queue keys list submitted work oldest first.
func queueKey(sub *Submission) string {
	return "queue/" + sub.Updated.Format(time.RFC3339Nano) + "/" + sub.ID
}

// putSubmission stores sub and keeps the queue and per-earner indexes in
// step with its state. oldQueueKey is the queue entry to drop, if any.
func putSubmission(tx *store.Tx, sub *Submission, oldQueueKey string) error {
	if oldQueueKey != "" {
		if err := tx.Delete(store.Index, oldQueueKey); err != nil {
			return err
		}
	}
	if sub.State == StateSubmitted {
		if err := tx.PutRaw(store.Index, queueKey(sub), []byte(sub.ID)); err != nil {
			return err
		}
	}
	if err := tx.PutRaw(store.Index, "earner/"+sub.EarnerID+"/"+sub.ID, []byte(sub.ID)); err != nil {
		return err
	}
	return tx.Put(store.Submissions, sub.ID, sub)
}

// Resubmit answers a return: the teacher replaces the evidence and the
// submission goes back in the queue.
func (s *Service) Resubmit(ctx context.Context, actor *User, id string, evidence []Evidence) (*Submission, error) {
	if err := s.require(actor, "submission.resubmit", RoleEarner); err != nil {
		return nil, err
	}
	return s.transition(ctx, actor, id, "submission.resubmit", func(tx *store.Tx, sub *Submission) error {
		if sub.EarnerID != actor.ID {
			return fmt.Errorf("%w: not your submission", ErrForbidden)
		}
		if sub.State != StateReturned {
			return fmt.Errorf("%w: only a returned submission can be resubmitted", ErrConflict)
		}
		a, err := s.Achievement(sub.AchievementID)
		if err != nil {
			return err
		}
		if err := checkEvidence(tx, actor.ID, a, evidence); err != nil {
			return err
		}
		sub.Evidence = evidence
		return moveTo(sub, StateSubmitted, actor.ID, "", s.now())
	})
}

// Return sends a submission back to the teacher with a comment saying what
// to change.
func (s *Service) Return(ctx context.Context, actor *User, id, comment string) (*Submission, error) {
	return s.review(ctx, actor, id, "submission.return", StateReturned, comment)
}

// Reject closes a submission without a credential.
func (s *Service) Reject(ctx context.Context, actor *User, id, comment string) (*Submission, error) {
	return s.review(ctx, actor, id, "submission.reject", StateRejected, comment)
}

func (s *Service) review(ctx context.Context, actor *User, id, action string, to State,
	comment string) (*Submission, error) {
	if err := s.require(actor, action, RoleReviewer, RoleAdmin); err != nil {
		return nil, err
	}
	if blank(comment) || len(comment) > 5000 {
		return nil, fmt.Errorf("%w: a comment (at most 5000 characters) is required", ErrInvalid)
	}
	return s.transition(ctx, actor, id, action, func(_ *store.Tx, sub *Submission) error {
		if sub.State != StateSubmitted {
			return fmt.Errorf("%w: submission is %s", ErrConflict, sub.State)
		}
		return moveTo(sub, to, actor.ID, comment, s.now())
	})
}

// transition loads a submission, applies change and stores the result
// with an audit record, all in one transaction.
func (s *Service) transition(ctx context.Context, actor *User, id, action string,
	change func(*store.Tx, *Submission) error) (*Submission, error) {
	var sub Submission
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Submissions, id, &sub); err != nil {
			return notFound(err)
		}
		old := ""
		if sub.State == StateSubmitted {
			old = queueKey(&sub)
		}
		if err := change(tx, &sub); err != nil {
			return err
		}
		if err := putSubmission(tx, &sub, old); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, action, id, "")
	})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "submission changed", "submission_id", id, "action", action, "actor", actor.ID)
	return &sub, nil
}

func moveTo(sub *Submission, to State, by, comment string, now time.Time) error {
	sub.History = append(sub.History, Transition{From: sub.State, To: to, By: by, At: now.UTC(), Comment: comment})
	sub.State, sub.Updated = to, now.UTC()
	return nil
}

// Submission returns a submission to its owner or to a reviewer.
func (s *Service) Submission(actor *User, id string) (*Submission, error) {
	var sub Submission
	if err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Submissions, id, &sub) }); err != nil {
		return nil, notFound(err)
	}
	if actor.Role == RoleEarner && sub.EarnerID != actor.ID {
		return nil, fmt.Errorf("submission %s: %w", id, ErrNotFound)
	}
	return &sub, nil
}

// Queue lists submissions awaiting review, oldest first.
func (s *Service) Queue(actor *User, limit int) ([]Submission, error) {
	if err := s.require(actor, "queue.read", RoleReviewer, RoleAdmin); err != nil {
		return nil, err
	}
	return s.submissionsUnder("queue/", limit)
}

// MySubmissions lists a teacher's own submissions.
func (s *Service) MySubmissions(actor *User, limit int) ([]Submission, error) {
	return s.submissionsUnder("earner/"+actor.ID+"/", limit)
}

func (s *Service) submissionsUnder(prefix string, limit int) ([]Submission, error) {
	var out []Submission
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Index, prefix, func(_ string, id []byte) (bool, error) {
			var sub Submission
			if err := tx.Get(store.Submissions, string(id), &sub); err != nil {
				return false, err
			}
			out = append(out, sub)
			return len(out) < limit, nil
		})
	})
	return out, err
}

// EvidenceFile returns an evidence file to its owner or to a reviewer.
// Public evidence is also served to anyone, through PublicEvidenceFile.
func (s *Service) EvidenceFile(actor *User, id string) (name, contentType string, data []byte, err error) {
	var owner []byte
	_ = s.db.View(func(tx *store.Tx) error {
		owner, err = tx.GetRaw(store.Index, ownerKey(id))
		owner = slices.Clone(owner)
		return nil
	})
	if err != nil || (actor.Role == RoleEarner && string(owner) != actor.ID) {
		return "", "", nil, fmt.Errorf("file %s: %w", id, ErrNotFound)
	}
	f, err := s.file(id)
	if err != nil {
		return "", "", nil, err
	}
	return f.Name, f.ContentType, f.Data, nil
}

// errAlreadyIssued stops an issuance write that lost a race to another.
var errAlreadyIssued = errors.New("already issued")

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
