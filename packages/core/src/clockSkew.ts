/**
 * CERT_BACKDATE_MS is how long before its issue a certificate of the cluster
 * starts to be valid: one hour, as swarmkit's CertBackdate. A peer whose
 * clock is behind the manager's, or a manager whose clock was set back after
 * issuing, by up to this much still accepts the certificate (the clock skew
 * SECURITY.md states). The manager writes notBefore with it and the agent
 * counts a certificate's lifetime from notBefore plus it (renewal).
 */
export const CERT_BACKDATE_MS = 60 * 60 * 1000;
