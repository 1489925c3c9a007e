"""What a government website carries besides its content: the site map (for people and for search
engines), robots.txt, the icon, the privacy statement and the guide to using the site."""
