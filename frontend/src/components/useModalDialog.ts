import { type RefObject, useEffect, useState } from "react";

/** Opens a `<dialog>` as a modal when it mounts and, when it goes, gives focus back to the control
 * that had it (the one that opened it). jsdom has no `showModal`: the `open` attribute stands in. */
export function useModalDialog(ref: RefObject<HTMLDialogElement | null>): void {
  // Read while rendering: by the time an effect runs, a child's autoFocus may already have moved focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [ref, opener]);
}
