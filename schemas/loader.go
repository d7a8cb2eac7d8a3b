package schemas

import (
	"encoding/json"
	"fmt"

	"github.com/piprate/json-gold/ld"
)

// Loader is a JSON-LD document loader that serves only pinned contexts. It
// never touches the network or the file system: any other URL, a relative
// reference or a path is refused with ErrNotPinned. Each context is parsed
// once, when the Loader is built, and shared read-only afterwards.
type Loader struct {
	docs map[string]any
}

// NewLoader returns a Loader for the given context URLs, or for every pinned
// context when urls is empty. Restricting the set lets a deployment accept
// fewer vocabularies than Laurel knows.
func NewLoader(urls ...string) (*Loader, error) {
	if len(urls) == 0 {
		urls = ContextURLs()
	}

	l := &Loader{docs: make(map[string]any, len(urls))}
	for _, u := range urls {
		data, err := Context(u)
		if err != nil {
			return nil, err
		}

		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("parsing pinned context %s: %w", u, err)
		}
		l.docs[u] = doc
	}
	return l, nil
}

// Allows reports whether url is a context this Loader serves.
func (l *Loader) Allows(url string) bool {
	_, ok := l.docs[url]
	return ok
}

// LoadDocument implements ld.DocumentLoader.
func (l *Loader) LoadDocument(url string) (*ld.RemoteDocument, error) {
	doc, ok := l.docs[url]
	if !ok {
		return nil, ld.NewJsonLdError(ld.LoadingRemoteContextFailed,
			fmt.Errorf("%q: %w", url, ErrNotPinned))
	}
	return &ld.RemoteDocument{DocumentURL: url, Document: doc}, nil
}
