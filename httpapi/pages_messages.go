package httpapi

import (
	"strings"

	"github.com/laurel-badges/laurel/issuer"
)

// issuerFieldNames turns the API's field names in the issuer package's
// messages into the labels the forms show.
var issuerFieldNames = strings.NewReplacer(
	"criteria.narrative", "the criteria narrative", "criteria.url", "the criteria URL",
	"achievementType", "the achievement type", "creditsAvailable", "credit hours",
	"validDays", "the validity in days", "targetName", "target name", "targetUrl", "target URL",
	"requiredEvidence entries", "required evidence kinds", "issuer url", "issuer's web address",
	"issuer image", "issuer's image URL",
)

// plainMessage is a refusal as a form shows it: the issuer package's
// message, without the error kind, in the form's words, as a sentence.
func plainMessage(err error) string {
	return sentence(withoutKinds(err.Error(), issuer.ErrInvalid, issuer.ErrConflict, issuer.ErrNotFound))
}

// withoutKinds drops the words of error kinds ("invalid input: ") from
// msg: a page names the kind in its heading already.
func withoutKinds(msg string, kinds ...error) string {
	for _, kind := range kinds {
		if before, rest, ok := strings.Cut(msg, kind.Error()+": "); ok {
			msg = before + rest
		}
	}
	return issuerFieldNames.Replace(msg)
}

// sentence makes msg start with a capital and end with a full stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
