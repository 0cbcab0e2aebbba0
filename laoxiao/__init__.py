"""laoxiao: the platform on which a city runs its 一老一小 elderly-care and childcare service system."""
