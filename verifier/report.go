package verifier

// Outcome is the result of one check.
type Outcome string

// Outcomes of a check. Only Failed makes a credential invalid; Warning and
// NotChecked are shown to the person reading the report.
const (
	Passed     Outcome = "passed"
	Failed     Outcome = "failed"
	Warning    Outcome = "warning"
	NotChecked Outcome = "not checked"
)

// Names of the checks, in the order OB 3.0 §9 ("Verification and
// Validation") gives them.
const (
	CheckStructure = "structure"
	CheckContexts  = "contexts"
	CheckSchema    = "schema"
	CheckProof     = "proof"
	CheckIssuer    = "issuer"
	CheckDates     = "dates"
	CheckStatus    = "status"
)

// Check is one line of a report.
type Check struct {
	// Name is one of the Check* constants.
	Name string `json:"check"`
	// Outcome says how the check went.
	Outcome Outcome `json:"outcome"`
	// Code is a stable machine-readable reason, e.g. "proof.signature".
	Code string `json:"code,omitempty"`
	// Message is a sentence a person understands.
	Message string `json:"message"`
}

// Report is the answer to "is this badge genuine and current?".
type Report struct {
	// Valid is true only when no check failed.
	Valid bool `json:"valid"`
	// Format is "json-ld" for a credential with embedded proofs, or
	// "vc-jwt" for a compact JWS.
	Format string `json:"format"`
	// Baked names the image the credential came out of ("png" or "svg"),
	// when it was baked into one.
	Baked string `json:"baked,omitempty"`
	// ID, Issuer and IssuerName identify the credential for the reader.
	ID         string `json:"id,omitempty"`
	Issuer     string `json:"issuer,omitempty"`
	IssuerName string `json:"issuerName,omitempty"`
	// Trusted says whether the issuer is on the verifier's trusted list,
	// and TrustedAs gives the name the list gives it.
	Trusted   bool   `json:"trusted"`
	TrustedAs string `json:"trustedAs,omitempty"`
	// Checks lists every check in order.
	Checks []Check `json:"checks"`
	// Credential is the credential that was checked, decoded.
	Credential map[string]any `json:"credential,omitempty"`
}

func (r *Report) add(name string, o Outcome, code, msg string) {
	r.Checks = append(r.Checks, Check{Name: name, Outcome: o, Code: code, Message: msg})
}

// Check returns the named check, or nil when the report has none.
func (r *Report) Check(name string) *Check {
	for i := range r.Checks {
		if r.Checks[i].Name == name {
			return &r.Checks[i]
		}
	}
	return nil
}

func (r *Report) finish() {
	r.Valid = len(r.Checks) > 0
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			r.Valid = false
		}
	}
}
