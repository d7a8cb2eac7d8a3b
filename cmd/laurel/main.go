// Command laurel is the district badge office: it signs, verifies and (later)
// serves Open Badges 3.0 credentials.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	cmd := newRootCmd()
	err := cmd.Execute()
	if err == nil {
		return
	}

	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "laurel:", ee.msg)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "laurel:", err)
	os.Exit(exitUsage)
}
