import { describe, expect, it } from "vitest";
import { consequence, permission } from "./decision";

const filled = { effectiveDate: "2026-04-20", reason: "Compliance signed off", force: false };

describe("whether a cutover change may be asked for", () => {
  it("holds a cutover back while the gate says no, saying how to go on", () => {
    const answer = permission("cutover", "not yet", filled);
    expect(answer.allowed).toBe(false);
    expect(answer.why).toMatch(/^The gate says no: the streak is too short\. Tick “force”/);
  });

  it("holds a cutover back while the compare service has not stated the streak", () => {
    expect(permission("cutover", "unknown", filled).why).toMatch(/has not stated the streak yet/);
  });

  it("lets a forced cutover through only with a reason that is more than blanks", () => {
    expect(permission("cutover", "not yet", { ...filled, force: true, reason: "  " })).toEqual({
      allowed: false,
      why: "A forced cutover needs a reason: it is kept in the audit trail.",
    });
    expect(permission("cutover", "not yet", { ...filled, force: true })).toEqual({ allowed: true, why: null });
  });

  it("lets a cutover through once the gate is ready, and a rollback whatever the streak", () => {
    expect(permission("cutover", "ready", filled).allowed).toBe(true);
    expect(permission("rollback", "not yet", filled).allowed).toBe(true);
  });

  it("asks for the effective date and a reason in any case", () => {
    expect(permission("rollback", "ready", { ...filled, effectiveDate: "" }).why).toBe("Choose the effective date.");
    expect(permission("cutover", "ready", { ...filled, reason: "" }).why).toBe(
      "Give a reason: it is kept in the audit trail.",
    );
  });

  it("says what the change does from its date, and that a forced one is recorded as forced", () => {
    expect(consequence("rollback", "2026-05-01", false)).toBe(
      "From 2026-05-01 the manual lines become official again: each arrival date from then on is filed from the manual run.",
    );
    expect(consequence("cutover", "2026-04-20", true)).toMatch(/^From 2026-04-20 the automated lines .* recorded as forced/);
  });
});
