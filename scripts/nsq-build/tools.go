//go:build tools

// Package tools pins the NSQ v1.3.0 command-line apps that scripts/install-nsq.sh builds.
package tools

import (
	_ "github.com/nsqio/nsq/apps/nsq_tail"
	_ "github.com/nsqio/nsq/apps/nsqd"
	_ "github.com/nsqio/nsq/apps/nsqlookupd"
	_ "github.com/nsqio/nsq/apps/to_nsq"
)
