//go:build unix

package e2e

import (
	"os/exec"
	"syscall"
)

// killGroupOnCancel runs cmd in its own process group and makes its
// cancellation kill the whole group: Terraform and the provider plugin it
// started, which would otherwise outlive it holding connections open.
func killGroupOnCancel(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
