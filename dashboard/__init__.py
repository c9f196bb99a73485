"""评议督导 dashboard: the county justice bureau's 民主评议政风行风 campaign."""
