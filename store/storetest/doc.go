// Package storetest holds test helpers for code that writes through store:
// a harness that runs a writer in a child process and kills it with SIGKILL
// at a random moment, to prove that acknowledged writes survive a crash.
package storetest
