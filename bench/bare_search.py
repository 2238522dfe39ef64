"""The reference for ``bench/startup.py``: the least a search command can do with click and Whoosh.

    python bench/bare_search.py INDEX_FOLDER QUERY

Opens a Broadsheet index folder with Whoosh's own ``open_dir``, parses the query over the title
and body, takes the top 20 hits with a highlighted fragment each and prints them as JSON. Nothing
else of Broadsheet is imported except what the index's schema names (its analysers).
"""

import json

import click
from whoosh import index
from whoosh.qparser import MultifieldParser


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.argument("query")
@click.option("--limit", default=20)
def bare_search(folder: str, query: str, limit: int) -> None:
    ix = index.open_dir(folder)
    with ix.searcher() as searcher:
        parsed = MultifieldParser(["title", "body"], ix.schema).parse(query)
        results = searcher.search(parsed, limit=limit)
        hits = [
            {
                "id": hit["id"],
                "path": hit["path"],
                "title": hit["title"],
                "score": hit.score,
                "snippet": hit.highlights("body"),
            }
            for hit in results
        ]
        click.echo(json.dumps({"query": query, "total": len(results), "hits": hits}, ensure_ascii=False))


if __name__ == "__main__":
    bare_search()
