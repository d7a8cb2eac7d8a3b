package issuer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/store"
)

// errUnchanged marks a status change that asks for the standing the
// credential already has. It always comes wrapped with ErrConflict.
var errUnchanged = errors.New("standing unchanged")

// Revoke revokes an issued credential for good: its revocation bit is set
// and stays set (Bitstring Status List v1.0 §2.1). Only administrators
// revoke, and they must say why; the reason goes into the credential's
// history and the audit record.
func (s *Service) Revoke(ctx context.Context, actor *User, id, reason string) (*Credential, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, fmt.Errorf("%w: a revocation needs a reason", ErrInvalid)
	}
	return s.changeStanding(ctx, actor, id, ActionRevoke, reason)
}

// Suspend suspends an issued credential until it is reinstated.
func (s *Service) Suspend(ctx context.Context, actor *User, id, reason string) (*Credential, error) {
	return s.changeStanding(ctx, actor, id, ActionSuspend, reason)
}

// Reinstate lifts a suspension. A revoked credential cannot be
// reinstated: that is ErrConflict.
func (s *Service) Reinstate(ctx context.Context, actor *User, id, reason string) (*Credential, error) {
	return s.changeStanding(ctx, actor, id, ActionReinstate, reason)
}

// changeStanding applies action to a credential of the office in one
// transaction: the list bit, the list version, the credential's standing
// and history, and the audit record. It returns once that transaction is
// committed, so the next fetch of the list shows the change.
func (s *Service) changeStanding(ctx context.Context, actor *User, id string, action StatusAction,
	reason string) (*Credential, error) {
	if err := s.require(actor, "credential."+string(action), RoleAdmin); err != nil {
		return nil, err
	}

	// Update, not Batch: a status change is a rare administrative act, and
	// a batch would wait for company before committing.
	key := credentialKey(id)
	var cred Credential
	err := s.db.Update(func(tx *store.Tx) error {
		cred = Credential{}
		if err := tx.Get(store.Credentials, key, &cred); err != nil {
			return notFound(err)
		}
		if err := s.applyAction(tx, &cred.CredentialStatus, action, actor.ID, reason); err != nil {
			return err
		}
		if err := tx.Put(store.Credentials, key, &cred); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "credential."+string(action), key, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("changing the status of %s: %w", key, err)
	}

	s.log.InfoContext(ctx, "credential status changed", "credential_id", key, "action", action,
		"status", cred.Standing, "actor", actor.ID)
	return &cred, nil
}

func credentialKey(id string) string {
	if !strings.HasPrefix(id, "urn:uuid:") {
		return "urn:uuid:" + id
	}
	return id
}

// applyAction changes the bit action concerns and records the change in
// st. The caller stores st.
func (s *Service) applyAction(tx *store.Tx, st *CredentialStatus, action StatusAction, by, reason string) error {
	purpose, set, next, err := st.transition(action)
	if err != nil {
		return err
	}

	entry, ok := st.entry(purpose)
	if !ok {
		return fmt.Errorf("%w: the credential carries no %s status entry", ErrConflict, purpose)
	}
	if err := s.setBit(tx, entry, set); err != nil {
		return err
	}

	st.Standing = next
	st.History = append(st.History, StatusChange{At: s.now().UTC(), By: by, Action: action, Reason: reason})
	return nil
}

// transition says which bit action changes, to what, and the standing
// that follows. Revocation is final; a suspension is lifted by
// reinstating, which clears the suspension bit.
func (st *CredentialStatus) transition(action StatusAction) (string, bool, Standing, error) {
	if len(st.Entries) == 0 {
		return "", false, "", fmt.Errorf("%w: the credential was issued without status entries", ErrConflict)
	}
	unchanged := func(what string) error {
		return fmt.Errorf("%w: %w: the credential is %s", ErrConflict, errUnchanged, what)
	}
	revoked := st.Standing == StandingRevoked

	switch action {
	case ActionRevoke:
		if revoked {
			return "", false, "", unchanged("already revoked")
		}
		return status.PurposeRevocation, true, StandingRevoked, nil
	case ActionSuspend:
		if revoked {
			return "", false, "", fmt.Errorf("%w: the credential is revoked, which is final", ErrConflict)
		}
		if st.Standing == StandingSuspended {
			return "", false, "", unchanged("already suspended")
		}
		return status.PurposeSuspension, true, StandingSuspended, nil
	case ActionReinstate:
		if revoked {
			return "", false, "", fmt.Errorf("%w: the credential is revoked, and a revocation is permanent",
				ErrConflict)
		}
		if st.Standing != StandingSuspended {
			return "", false, "", unchanged("not suspended")
		}
		return status.PurposeSuspension, false, StandingActive, nil
	}
	return "", false, "", fmt.Errorf("%w: unknown status action %q", ErrInvalid, action)
}

func (st *CredentialStatus) entry(purpose string) (StatusEntry, bool) {
	for _, e := range st.Entries {
		if e.Purpose == purpose {
			return e, true
		}
	}
	return StatusEntry{}, false
}

// IssuedStatus is the status record of a credential issued through the VC
// API, which Laurel signs but does not otherwise keep: enough to change
// its status by credential id (VC-API.md §5).
type IssuedStatus struct {
	CredentialID string `json:"credentialId"`
	IssuerID     string `json:"issuerId"`
	// IssuedBy is the VC API client that asked for the credential.
	IssuedBy string `json:"issuedBy"`
	CredentialStatus
}

// RecordIssuedStatus keeps the status entries of a credential just signed
// through the VC API. A credential id issued again replaces the earlier
// record: the id is the only handle the VC API gives, and the latest
// credential is the one its client means. The audit keeps both issues.
// Authorizing the client is the caller's business, as for issuing.
func (s *Service) RecordIssuedStatus(ctx context.Context, by, credentialID, issuerID string,
	entries []StatusEntry) error {
	rec := IssuedStatus{CredentialID: credentialID, IssuerID: issuerID, IssuedBy: by,
		CredentialStatus: CredentialStatus{Standing: StandingActive, Entries: entries}}
	err := s.db.Batch(func(tx *store.Tx) error {
		if err := tx.Put(store.StatusRecords, credentialID, rec); err != nil {
			return err
		}
		return s.audit(tx, by, "vcapi.issue", credentialID, "")
	})
	if err != nil {
		return fmt.Errorf("recording status entries: %w", err)
	}
	return nil
}

// SetIssuedStatus sets (set true) or clears the bit of purpose for a
// credential issued through the VC API (VC-API.md §5, POST
// /credentials/status). Setting revokes or suspends; clearing a
// suspension reinstates; clearing a revocation is ErrConflict. Asking for
// the standing the credential already has changes nothing and succeeds,
// so a client may retry.
func (s *Service) SetIssuedStatus(ctx context.Context, by, credentialID, purpose string,
	set bool) (*IssuedStatus, error) {
	action, err := actionFor(purpose, set)
	if err != nil {
		return nil, err
	}

	var rec IssuedStatus
	err = s.db.Update(func(tx *store.Tx) error {
		rec = IssuedStatus{}
		if err := tx.Get(store.StatusRecords, credentialID, &rec); err != nil {
			return notFound(err)
		}
		if action == "" {
			return clearRevocation(&rec.CredentialStatus)
		}
		err := s.applyAction(tx, &rec.CredentialStatus, action, by, "")
		if errors.Is(err, errUnchanged) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tx.Put(store.StatusRecords, credentialID, rec); err != nil {
			return err
		}
		return s.audit(tx, by, "vcapi."+string(action), credentialID, "")
	})
	if err != nil {
		return nil, fmt.Errorf("changing the status of %s: %w", credentialID, err)
	}

	s.log.InfoContext(ctx, "credential status changed", "credential_id", credentialID,
		"status", rec.Standing, "actor", by)
	return &rec, nil
}

// actionFor maps a bit change to an action. Clearing the revocation bit
// maps to no action: it is already clear, or it cannot be cleared.
func actionFor(purpose string, set bool) (StatusAction, error) {
	switch {
	case purpose == status.PurposeRevocation && set:
		return ActionRevoke, nil
	case purpose == status.PurposeRevocation:
		return "", nil
	case purpose == status.PurposeSuspension && set:
		return ActionSuspend, nil
	case purpose == status.PurposeSuspension:
		return ActionReinstate, nil
	}
	return "", fmt.Errorf("%w: status purpose %q is not revocation or suspension", ErrInvalid, purpose)
}

// clearRevocation answers a request to clear the revocation bit.
func clearRevocation(st *CredentialStatus) error {
	if st.Standing == StandingRevoked {
		return fmt.Errorf("%w: the credential is revoked, and a revocation is permanent", ErrConflict)
	}
	return nil
}
