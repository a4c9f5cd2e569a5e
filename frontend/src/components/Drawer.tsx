import { type ReactNode, useId, useRef } from "react";
import { useModalDialog } from "./useModalDialog";

/** A side panel as a modal dialog: focus moves in, Escape and the close button leave, and focus goes
 * back to where it was (the control that opened it) when it closes. */
export function Drawer({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useModalDialog(ref);
  return (
    <dialog
      ref={ref}
      className={wide ? "drawer drawer-wide" : "drawer"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="drawer-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </dialog>
  );
}
