namespace AudioPrune;

/// <summary>How a filter becomes the unit vector the similarity criteria compare.</summary>
public enum Representation
{
    /// <summary>The paper's: sign-fixed dominant left singular vector of the (kh*kw x C) matrix.</summary>
    Rank1,

    /// <summary>The whole filter flattened (C*kh*kw values).</summary>
    Flatten,
}

/// <summary>How the Nystrom landmark filters are picked.</summary>
public enum LandmarkChoice
{
    /// <summary>The first m filters (the paper).</summary>
    First,

    /// <summary>m filters drawn without replacement with a seed.</summary>
    Random,

    /// <summary>Farthest-point: filter 0, then repeatedly the filter farthest (cosine) from all chosen.</summary>
    Farthest,
}
