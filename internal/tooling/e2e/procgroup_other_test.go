//go:build !unix

package e2e

import "os/exec"

// killGroupOnCancel leaves cancellation as it is: only Terraform is killed.
func killGroupOnCancel(*exec.Cmd) {}
