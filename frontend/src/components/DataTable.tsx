import {
  type Cell,
  type ColumnDef,
  type SortingState,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
} from "@tanstack/react-table";
import { type ReactNode, useState } from "react";

/** A cell's content, called rather than mounted: pages define their columns on each render, and a new
 * component type each time would remount every cell, replacing the button a drawer gives focus back to. */
function cellContent<T>(cell: Cell<T, unknown>): ReactNode {
  const render = cell.column.columnDef.cell;
  return typeof render === "function" ? render(cell.getContext()) : flexRender(render, cell.getContext());
}

interface Props<T> {
  caption: string;
  data: T[];
  // Each column has its own value type; TanStack Table's own examples type the list this way.
  columns: ColumnDef<T, any>[];
  empty?: string;
  rowKey?: (row: T, index: number) => string;
  rowClassName?: (row: T) => string | undefined;
  /** Sorted by the server across every page: the table shows this order and asks for another. */
  serverSort?: { sorting: SortingState; onChange: (sorting: SortingState) => void };
}

/** A sortable grid with a caption, column headers as buttons and `aria-sort` on the sorted one. */
export function DataTable<T>({
  caption,
  data,
  columns,
  empty = "Nothing to show.",
  rowKey,
  rowClassName,
  serverSort,
}: Props<T>) {
  const [localSorting, setLocalSorting] = useState<SortingState>([]);
  const sorting = serverSort?.sorting ?? localSorting;
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    manualSorting: serverSort !== undefined,
    enableMultiSort: false,
    onSortingChange: (update) => {
      const next = typeof update === "function" ? update(sorting) : update;
      if (serverSort) serverSort.onChange(next);
      else setLocalSorting(next);
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: rowKey ? (row, index) => rowKey(row, index) : undefined,
  });
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        {label}
                        <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="muted">
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={rowClassName?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{cellContent(cell)}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
