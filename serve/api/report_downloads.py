"""Report downloads: CSV streamed row by row, XLSX through openpyxl's write-only
workbook into a temporary file that is then streamed (and already deleted).

The rows are the grouped results (at most a row per period, group or agent), never a
row per conversation; still, neither form builds the whole file in memory: CSV goes
out a line at a time, and the write-only workbook writes each row to disk as it
comes (an ordinary openpyxl workbook keeps every cell as an object).
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from datetime import datetime
from typing import Any, AsyncIterator, Iterable, Sequence

from fastapi.responses import StreamingResponse
from openpyxl import Workbook

from serve.media.file_names import content_disposition

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024
# Excel reads a CSV as UTF-8 only when it starts with the byte order mark.
BOM = "\ufeff"

Line = Sequence[Any]


def file_name(report: str, since: datetime, until: datetime, extension: str) -> str:
    """`kefu-conversations-20260302-20260303.csv`: letters, digits and dashes only."""
    return f"kefu-{report}-{since:%Y%m%d}-{until:%Y%m%d}.{extension}"


def csv_response(headers: Line, lines: Iterable[Line], name: str) -> StreamingResponse:
    async def body() -> AsyncIterator[bytes]:
        yield (BOM + csv_line(headers)).encode()
        for line in lines:
            yield csv_line(line).encode()

    return StreamingResponse(body(), media_type=CSV_TYPE, headers=download_headers(name))


def csv_line(values: Line) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["" if v is None else no_formula(v) for v in values])
    return buffer.getvalue()


def no_formula(value: Any) -> Any:
    # A skill group or agent name starting with = + - @ would run as a formula when the
    # file is opened in a spreadsheet (CSV injection): quoted as text instead.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# A worksheet of a download: its name, its header line, its lines.
Sheet = tuple[str, Line, Iterable[Line]]


async def xlsx_response(sheet: str, headers: Line, lines: Iterable[Line], name: str) -> StreamingResponse:
    return await xlsx_book_response([(sheet, headers, lines)], name)


async def xlsx_book_response(sheets: Sequence[Sheet], name: str) -> StreamingResponse:
    path = await asyncio.to_thread(_write_xlsx, sheets)
    # Unlinked at once and read through the open handle: nothing is left on disk even
    # when the client goes away mid-download (a background task would not run then).
    file = open(path, "rb")
    os.unlink(path)

    def chunks() -> Iterable[bytes]:
        with file:
            while chunk := file.read(CHUNK):
                yield chunk

    return StreamingResponse(chunks(), media_type=XLSX_TYPE, headers=download_headers(name))


def _write_xlsx(sheets: Sequence[Sheet]) -> str:
    workbook = Workbook(write_only=True)
    for sheet, headers, lines in sheets:
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(list(headers))
        for line in lines:
            worksheet.append([no_formula(v) for v in line])
    handle, path = tempfile.mkstemp(prefix="kefu-report-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
    except BaseException:
        os.unlink(path)
        raise
    return path


def download_headers(name: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(name, inline=False),
            "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
