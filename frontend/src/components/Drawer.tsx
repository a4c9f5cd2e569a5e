import { type ReactNode, useEffect, useId, useRef } from "react";

/** A side panel as a modal dialog: focus moves in, Escape and the close button leave. */
export function Drawer({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }, []);
  return (
    <dialog
      ref={ref}
      className="drawer"
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
