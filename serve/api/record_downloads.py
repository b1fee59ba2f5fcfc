"""Chat records as a download: the search of GET /api/v1/conversations with
`format=csv|xlsx`, every match (not one page), newest first, up to EXPORT_MAX_ROWS.

CSV goes out a batch of lines at a time while the database is read; XLSX rows go into
openpyxl's write-only workbook (each row to disk as it comes) a batch at a time in a
worker thread, and the finished file is streamed from its already deleted temporary
file, as report downloads are (serve/api/report_downloads.py). The answer says how many
rows it holds and whether the search found more (`X-Kefu-Rows`, `X-Kefu-Truncated`).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timezone
from typing import Any

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.store.conversation_search import ConversationFilter, count_conversations, text_query
from actors.store.record_export import RecordLine, record_lines
from serve.api.record_headers import STATUS_NAMES, record_columns
from serve.api.report_downloads import (BOM, CHUNK, CSV_TYPE, XLSX_TYPE, csv_line, download_headers,
                                        no_formula)
from serve.api.report_headers import Lang

# The most rows one export holds (the newest ones); a wider search says it was cut.
EXPORT_MAX_ROWS = 100_000


async def records_download(db: async_sessionmaker, where: ConversationFilter, extension: str,
                           lang: Lang, most: int = EXPORT_MAX_ROWS) -> StreamingResponse:
    found = await count_conversations(db, where, most + 1)
    fields, headers = record_columns(lang, with_snippet=await text_query(where) is not None)
    name = f"kefu-records-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.{extension}"
    extra = {"X-Kefu-Rows": str(min(found, most)), "X-Kefu-Truncated": "true" if found > most else "false",
             "Access-Control-Expose-Headers": "X-Kefu-Rows, X-Kefu-Truncated"}
    batches = record_lines(db, where, most)
    if extension == "csv":
        return StreamingResponse(_csv_body(headers, fields, lang, batches), media_type=CSV_TYPE,
                                 headers={**download_headers(name), **extra})
    path = await _write_xlsx(headers, fields, lang, batches)
    file = open(path, "rb")
    os.unlink(path)  # read through the open handle: nothing stays on disk

    def chunks() -> Iterable[bytes]:
        with file:
            while chunk := file.read(CHUNK):
                yield chunk

    return StreamingResponse(chunks(), media_type=XLSX_TYPE, headers={**download_headers(name), **extra})


def _values(line: RecordLine, fields: list[str], lang: Lang, for_csv: bool) -> list[Any]:
    values = []
    for field in fields:
        value = getattr(line, field)
        if field == "status":
            value = STATUS_NAMES[lang].get(value, value)
        elif isinstance(value, datetime):
            # A spreadsheet's dates have no zone: UTC, as the header says.
            utc = value.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
            value = utc.isoformat(sep=" ") if for_csv else utc
        values.append(value)
    return values


async def _csv_body(headers: list[str], fields: list[str], lang: Lang,
                    batches: AsyncIterator[list[RecordLine]]) -> AsyncIterator[bytes]:
    yield (BOM + csv_line(headers)).encode()
    async for batch in batches:
        yield "".join(csv_line(_values(line, fields, lang, True)) for line in batch).encode()


async def _write_xlsx(headers: list[str], fields: list[str], lang: Lang,
                      batches: AsyncIterator[list[RecordLine]]) -> str:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    sheet.append(headers)

    def append(batch: list[RecordLine]) -> None:
        for line in batch:
            sheet.append([no_formula(v) for v in _values(line, fields, lang, False)])

    async for batch in batches:  # the loop reads the database; a thread writes the rows
        await asyncio.to_thread(append, batch)
    handle, path = tempfile.mkstemp(prefix="kefu-records-", suffix=".xlsx")
    os.close(handle)
    try:
        await asyncio.to_thread(workbook.save, path)
    except BaseException:
        os.unlink(path)
        raise
    return path
