import { type ReactNode, useId, useRef } from "react";
import { useModalDialog } from "./useModalDialog";

/** A modal question before an action that is hard to undo: it names the action, says what follows,
 * starts on "Cancel" (the safe answer), and gives focus back to the control that opened it. */
export function ConfirmDialog({
  title,
  confirm,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useModalDialog(ref);
  return (
    <dialog
      ref={ref}
      role="alertdialog"
      className="confirm"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId}>{children}</div>
      <div className="confirm-actions">
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="primary" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
